using Serilog;

namespace TomAlerts.Web.Hosting;

public static class LoggingExtensions
{
    /// <summary>Serilog from the "Serilog" configuration section (console and a rolling file by default).</summary>
    public static WebApplicationBuilder AddTomAlertsLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext());
        return builder;
    }
}

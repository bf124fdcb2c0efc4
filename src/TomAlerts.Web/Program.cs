using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Web.Features.Account;
using TomAlerts.Web.Features.BrokerHealth;
using TomAlerts.Web.Features.ConeSearch;
using TomAlerts.Web.Features.Exports;
using TomAlerts.Web.Features.Groups;
using TomAlerts.Web.Features.Health;
using TomAlerts.Web.Features.Home;
using TomAlerts.Web.Features.LightCurves;
using TomAlerts.Web.Features.Notifications;
using TomAlerts.Web.Features.Queries;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Features.Schedules;
using TomAlerts.Web.Features.Stamps;
using TomAlerts.Web.Features.Streams;
using TomAlerts.Web.Features.TargetLists;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Features.Comments;
using TomAlerts.Web.Hosting;

// TomAlerts: a portal for following up transients found by alert brokers.
// `dotnet run` serves the portal; `dotnet run -- <command>` runs a command (see CommandLine).
try
{
    var builder = WebApplication.CreateBuilder(CommandLine.ConfigurationArgs(args));
    builder.AddTomAlertsLogging();
    builder.Services.AddTomAlertsData(builder.Configuration, builder.Environment.ContentRootPath);
    builder.Services.AddTomAlertsIdentity();
    builder.Services.AddBrokers(builder.Configuration);
    builder.Services.AddTomAlertsWeb(builder.Configuration);
    builder.Services.AddTomAlertsApi();
    builder.Services.AddTomAlertsRateLimits(builder.Configuration);

    // Features, each with its pages, API and services (src/TomAlerts.Web/Features/<Feature>/).
    builder.Services.AddTomAlertsAccount(builder.Configuration);
    builder.Services.AddTomAlertsGroups(builder.Configuration);
    builder.Services.AddTomAlertsBrokerHealth(builder.Configuration);
    builder.Services.AddTomAlertsQueries();
    builder.Services.AddTomAlertsStreams();
    builder.Services.AddTomAlertsRuns(builder.Configuration);
    builder.Services.AddTomAlertsTargets(builder.Configuration); // its completion hook runs before the digests'
    builder.Services.AddTomAlertsLightCurves();
    builder.Services.AddTomAlertsTargetLists();
    builder.Services.AddTomAlertsComments();
    builder.Services.AddTomAlertsHome();
    builder.Services.AddTomAlertsSchedules(builder.Configuration);
    builder.Services.AddTomAlertsNotifications(builder.Configuration);
    builder.Services.AddTomAlertsConeSearch(builder.Configuration);
    builder.Services.AddTomAlertsStamps(builder.Configuration);
    builder.Services.AddTomAlertsExports();
    builder.Services.AddTomAlertsHealth();

    var app = builder.Build();
    if (CommandLine.IsCommand(args))
    {
        return await CommandLine.RunAsync(app, args);
    }

    await app.PrepareDatabaseAsync();
    app.UseTomAlertsPipeline();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (StartupFailure.IsExpected(e))
{
    await Console.Error.WriteLineAsync($"TomAlerts cannot start: {StartupFailure.Describe(e)}");
    return 1;
}

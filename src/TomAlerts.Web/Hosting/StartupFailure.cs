using System.Data.Common;
using TomAlerts.Brokers;

namespace TomAlerts.Web.Hosting;

/// <summary>Start-up failures a person can fix (configuration, database), reported as one line instead of a stack trace.</summary>
internal static class StartupFailure
{
    public static bool IsExpected(Exception e) =>
        e is BrokerConfigurationException or DbException or InvalidOperationException or IOException or UnauthorizedAccessException
        || e.InnerException is not null && IsExpected(e.InnerException);

    public static string Describe(Exception e)
    {
        var root = e;
        while (root is not (BrokerConfigurationException or DbException) && root.InnerException is not null)
        {
            root = root.InnerException;
        }
        return root is DbException ? $"the database cannot be opened: {root.Message}" : root.Message;
    }
}

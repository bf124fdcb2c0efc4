namespace TomAlerts.Web.Features.Targets;

/// <summary>The "Targets" configuration section.</summary>
public sealed class TargetOptions
{
    /// <summary>An alert within this distance of an existing target is the same object.</summary>
    public double MatchRadiusArcsec { get; set; } = 2;

    /// <summary>A target whose name is no TNS designation is renamed when one arrives as its alias; the old name stays an alias.</summary>
    public bool RenameToTnsName { get; set; } = true;
}

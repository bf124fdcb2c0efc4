namespace TomAlerts.Web.Features.Targets;

/// <summary>The "Targets" configuration section.</summary>
public sealed class TargetOptions
{
    /// <summary>An alert within this distance of an existing target is the same object.</summary>
    public double MatchRadiusArcsec { get; set; } = 2;
}

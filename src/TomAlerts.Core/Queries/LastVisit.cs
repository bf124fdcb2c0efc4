namespace TomAlerts.Queries;

/// <summary>When a user last opened the home page, so it can say what is new since.</summary>
public class LastVisit
{
    public required string UserId { get; set; }
    public DateTime At { get; set; }
}

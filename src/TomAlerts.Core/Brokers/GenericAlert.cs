namespace TomAlerts.Brokers;

/// <summary>
/// What every broker's alert looks like on a results page: the display record TOM calls GenericAlert,
/// with the classification TOM users asked for.
/// </summary>
public sealed record GenericAlert
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public DateTime? Timestamp { get; init; }
    public double? Ra { get; init; }
    public double? Dec { get; init; }
    public double? Mag { get; init; }
    public double? Score { get; init; }
    public string? Url { get; init; }
    public string? Classification { get; init; }

    /// <summary>The band of <see cref="Mag"/>, the latest detection's (ZTF g/r/i, LSST u/g/r/i/z/y, Gaia G).</summary>
    public string? Band { get; init; }

    /// <summary>The object's first detection, when the broker says.</summary>
    public DateTime? FirstDetection { get; init; }

    /// <summary>The object's latest detection, when the broker says.</summary>
    public DateTime? LastDetection { get; init; }

    /// <summary>How many detections the object has, when the broker says.</summary>
    public int? Detections { get; init; }

    /// <summary>Every class the broker reports for the object, with its model and probability (the best first within a model).</summary>
    public IReadOnlyList<AlertClassification> Classifications { get; init; } = [];
}

/// <summary>
/// One class a broker's model gives an object: ALeRCE's classifiers, Fink's module scores, Lasair's Sherlock class and
/// annotations, ANTARES's tags, TNS's type. <paramref name="Probability"/> is 0–1, null where the model gives none (a tag).
/// </summary>
public sealed record AlertClassification(string Broker, string Classifier, string? Version, string ClassName, double? Probability,
    DateTime? Time = null);

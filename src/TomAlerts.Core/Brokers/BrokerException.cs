namespace TomAlerts.Brokers;

/// <summary>
/// A broker failure with a message fit to show a user (it never contains a secret): what happened, what to do, when to
/// try again (see <see cref="BrokerMessages"/>). <see cref="TechnicalDetail"/> keeps the developer's account — status,
/// the broker's own words — for the folded "Technical detail" of a page and for the logs.
/// </summary>
public class BrokerException : Exception
{
    public BrokerException(string message) : base(message) { }

    public BrokerException(string message, Exception inner) : base(message, inner) { }

    public BrokerException(string message, string? technicalDetail) : base(message) => TechnicalDetail = technicalDetail;

    public BrokerException() { }

    /// <summary>What a developer or administrator would want to read; null when the message says it all.</summary>
    public string? TechnicalDetail { get; }
}

/// <summary>The broker lacks settings it needs; <see cref="Exception.Message"/> says which.</summary>
public sealed class BrokerNotConfiguredException(string message) : BrokerException(message);

namespace TomAlerts.Brokers;

/// <summary>A broker failure with a message fit to show a user (it never contains a secret).</summary>
public class BrokerException : Exception
{
    public BrokerException(string message) : base(message) { }

    public BrokerException(string message, Exception inner) : base(message, inner) { }

    public BrokerException() { }
}

/// <summary>The broker lacks settings it needs; <see cref="Exception.Message"/> says which.</summary>
public sealed class BrokerNotConfiguredException(string message) : BrokerException(message);

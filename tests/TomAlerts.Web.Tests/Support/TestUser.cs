namespace TomAlerts.Web.Tests.Support;

/// <summary>A registered user and the session (cookies) they are logged in with.</summary>
public sealed record TestUser(string Email, string Id, PageSession Page)
{
    /// <summary>The password of every user the tests register.</summary>
    public const string Password = "Sup3rnova!";
}

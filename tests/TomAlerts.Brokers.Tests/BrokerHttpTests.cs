namespace TomAlerts.Brokers.Tests;

public class BrokerHttpTests
{
    [Fact]
    public void ParseJson_BinaryBody_SaysSoInsteadOfQuotingTheBytes()
    {
        var garbage = new string(Enumerable.Range(0, 300).Select(i => (char)(i % 7 == 0 ? '\uFFFD' : i % 5 == 0 ? '\u0001' : 'x')).ToArray());

        var error = Assert.Throws<BrokerException>(() => BrokerHttp.ParseJson("Lasair", garbage));

        Assert.Equal("Lasair sent a response that is not JSON: (300 bytes of binary data)", error.Message);
    }

    [Fact]
    public void ParseJson_HtmlPage_QuotesItsTextWithoutTags()
    {
        var error = Assert.Throws<BrokerException>(() => BrokerHttp.ParseJson("ALeRCE", "<html><body><h1>502 Bad Gateway</h1></body></html>"));

        Assert.Equal("ALeRCE sent a response that is not JSON: 502 Bad Gateway", error.Message);
    }
}

using System.Text.Json.Nodes;
using TomAlerts.Brokers.Lasair;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tests.Lasair;

/// <summary>What a scanner sees of a Lasair object (ZTF and LSST): band, detection span and count, Sherlock and annotations.</summary>
public sealed class LasairScanningTests
{
    private static LasairBroker Broker() => new FakeBrokerHttp().Broker<LasairBroker>();

    private static JsonObject Read(string fixture) => JsonNode.Parse(Fixtures.Read(fixture))!.AsObject();

    [Fact]
    public void ToGenericAlert_ZtfObjectPage_NewestDetectionsBandSpanCountAndSherlock()
    {
        var alert = Broker().ToGenericAlert(Read("lasair/object_ZTF23abtfusv.json"));

        Assert.Equal(19.702470779418945, alert.Mag);
        Assert.Equal("g", alert.Band);
        Assert.Equal(AstroTime.FromJd(2460240.91234), alert.FirstDetection);
        Assert.Equal(AstroTime.FromJd(2460282.79437), alert.LastDetection);
        Assert.Equal(12, alert.Detections);
        Assert.Equal(new AlertClassification("Lasair", "sherlock", null, "SN", null), Assert.Single(alert.Classifications));
    }

    [Fact]
    public void ToGenericAlert_ZtfListRow_BandOfTheBandSeenLastAndCountOfPositiveCandidates()
    {
        var row = JsonNode.Parse(Fixtures.Read("lasair/query_result.json"))!.AsArray()[0]!.AsObject();
        row["jdgmax"] = 2460282.79437;
        row["jdrmax"] = "2460280.5"; // numbers may come as strings

        var alert = Broker().ToGenericAlert(row);

        Assert.Equal(19.702470779418945, alert.Mag);
        Assert.Equal("g", alert.Band);
        Assert.Equal(12, alert.Detections);
        Assert.Null(alert.FirstDetection); // the row has no jdmin, and no candidates to take it from
        Assert.Equal(AstroTime.FromJd(2460282.79437), alert.LastDetection);
        Assert.Equal("sherlock", Assert.Single(alert.Classifications).Classifier);
    }

    [Fact]
    public void ToGenericAlert_ZtfRowWithNullsOnly_NoBandNoClassesNoInventedDates()
    {
        var row = JsonNode.Parse("""{"objectId": "ZTF23abtfusv", "gmag": null, "rmag": null, "jdmax": null, "ncand": null, "classification": null}""")!.AsObject();

        var alert = Broker().ToGenericAlert(row);

        Assert.Null(alert.Mag);
        Assert.Null(alert.Band);
        Assert.Null(alert.LastDetection);
        Assert.Null(alert.Detections);
        Assert.Empty(alert.Classifications);
    }

    [Fact]
    public void ToGenericAlert_LsstObject_TaiSpanDiaSourceCountSherlockAndTheAnnotationWithItsProbability()
    {
        var alert = Broker().ToGenericAlert(Read("lasair_lsst/object_lite.json"));

        Assert.Equal("r", alert.Band); // the newest diaSource (u) has a negative flux, so no magnitude: r is the newest that has
        Assert.Equal(AstroTime.FromMjdTai(61102.1845312), alert.FirstDetection);
        Assert.Equal(AstroTime.FromMjdTai(61134.0734227), alert.LastDetection);
        Assert.Equal(6, alert.Detections);
        Assert.Equal(
            [
                new AlertClassification("Lasair", "sherlock", null, "SN", null),
                new AlertClassification("Lasair", "fink", "0.1", "early_snia_candidate", 0.78, new DateTime(2026, 3, 10, 4, 12, 55, DateTimeKind.Utc)),
            ],
            alert.Classifications);
    }

    [Fact]
    public void ToGenericAlert_LsstAnnotations_ClassdictAsObjectOrBrokenTextAndMissingClass()
    {
        var obj = Read("lasair_lsst/object_lite.json");
        obj["lasairData"]!["annotations"] = JsonNode.Parse("""
            [
              {"topic": "alerce_lc", "version": null, "timestamp": null, "classification": "SNIa",
               "classdict": {"SNIa": "0.64", "SNII": 0.2}},
              {"topic": "bad_json", "version": "2", "classification": "AGN", "classdict": "{not json"},
              {"topic": "several", "classification": "KN", "classdict": "{\"a\": 0.2, \"b\": 0.3}"},
              {"topic": "no_class", "classification": null}
            ]
            """);

        var annotations = Broker().ToGenericAlert(obj).Classifications.Where(c => c.Classifier != "sherlock").ToList();

        Assert.Equal(
            [
                new AlertClassification("Lasair", "alerce_lc", null, "SNIa", 0.64),
                new AlertClassification("Lasair", "bad_json", "2", "AGN", null),
                new AlertClassification("Lasair", "several", null, "KN", null), // two numbers, none named after the class: no probability
            ],
            annotations);
    }

    [Fact]
    public void ToGenericAlert_LsstListRow_BandWhoseLatestFluxIsTheLatestFlux()
    {
        var row = LsstRows.Row(169298433216610349, 150.3, 2.2);
        row["latest_psfFlux"] = "2978.3025";
        row["g_psfFlux"] = 2688.9104;
        row["r_psfFlux"] = 2978.3025;
        row["nDiaSources"] = "6";

        var alert = Broker().ToGenericAlert(row);

        Assert.Equal("r", alert.Band);
        Assert.Equal(6, alert.Detections);
        Assert.Equal(AstroTime.FromMjdTai(61102.1845312), alert.FirstDetection);

        row["g_psfFlux"] = 2978.3025; // two bands with that flux: which one is not known
        Assert.Null(Broker().ToGenericAlert(row).Band);
    }
}

using System.Text.Json.Nodes;
using TomAlerts.Brokers;
using TomAlerts.Targets;

namespace TomAlerts.Core.Tests;

public class NamesAndFormsTests
{
    [Theory]
    [InlineData("SN 2023vjq", "sn2023vjq")]
    [InlineData("sn-2023_VJQ", "sn2023vjq")]
    [InlineData("(ZTF23abtfusv)", "ztf23abtfusv")]
    [InlineData("Gaia23 dnw", "gaia23dnw")]
    public void Normalize_IgnoresCaseSpacesDashesUnderscoresAndParentheses(string name, string expected)
    {
        Assert.Equal(expected, TargetNames.Normalize(name));
    }

    [Theory]
    [InlineData("SN 2023vjq", "SN", "2023vjq")]
    [InlineData("SN2023vjq", "SN", "2023vjq")]
    [InlineData("AT2023vjq", "AT", "2023vjq")]
    [InlineData("at 2023vjq", "AT", "2023vjq")]
    [InlineData("TDE 2024tvd", "TDE", "2024tvd")]
    [InlineData(" 2023vjq ", null, "2023vjq")]
    [InlineData("SN 1987A", "SN", "1987A")]
    [InlineData("2023aaaa", null, "2023aaaa")]
    [InlineData("FRB 20190520B", "FRB", "20190520B")]
    [InlineData("frb20190520b", "FRB", "20190520b")]
    [InlineData("20121102A", null, "20121102A")]
    public void TransientDesignation_Parse_SplitsPrefixAndObjName(string name, string? prefix, string objName)
    {
        Assert.Equal((prefix, objName), TransientDesignation.Parse(name));
    }

    [Theory]
    [InlineData("ZTF23abtfusv")]
    [InlineData("Gaia23dnw")]
    [InlineData("ATLAS23vxk")]
    [InlineData("PS23kpm")]
    [InlineData("LSST-P-DO-169298433216610349")]
    [InlineData("SN 2023")]
    [InlineData("FRB 2023vjq")]
    [InlineData("SN 20190520B")]
    [InlineData("XY2023vjq")]
    [InlineData("")]
    public void TransientDesignation_Parse_OtherNamesAreNoDesignation(string name)
    {
        Assert.Null(TransientDesignation.Parse(name));
    }

    [Theory]
    [InlineData("SN2023vjq", "2023vjq")]
    [InlineData("AT 2023vjq", "2023vjq")]
    [InlineData("tde2023vjq", "2023vjq")]
    [InlineData("FRB 20190520B", "20190520B")]
    [InlineData("SN 2023", "2023")]
    [InlineData(" 2023vjq ", "2023vjq")]
    [InlineData("ZTF23abtfusv", "ZTF23abtfusv")]
    [InlineData("ATLAS23vxk", "ATLAS23vxk")]
    public void TransientDesignation_WithoutPrefix_StripsEveryTnsPrefix(string name, string expected)
    {
        Assert.Equal(expected, TransientDesignation.WithoutPrefix(name));
    }

    [Theory]
    [InlineData("SN 2023vjq", "SN2023vjq", true)]
    [InlineData("SN2023vjq", "AT2023vjq", true)]
    [InlineData("AT2023vjq", "2023vjq", true)]
    [InlineData("TDE 2023VJQ", "at2023vjq", true)]
    [InlineData("FRB 20190520B", "20190520B", true)]
    [InlineData("SN2023vjq", "SN2023vjr", false)]
    [InlineData("SN2023vjq", "ZTF23abtfusv", false)]
    public void TransientDesignation_SameObject_ComparesObjNamesAsTnsDoes(string a, string b, bool same)
    {
        Assert.Equal(same, TransientDesignation.SameObject(a, b));
    }

    [Fact]
    public void TargetNames_MatchKeys_HoldEveryFormOfADesignationAndOnlyTheNameOtherwise()
    {
        Assert.Equal(["sn2023vjq", "2023vjq", "at2023vjq", "tde2023vjq"], TargetNames.MatchKeys("SN 2023vjq"));
        Assert.Equal(["frb20190520b", "20190520b"], TargetNames.MatchKeys("FRB 20190520B"));
        Assert.Equal(["ztf23abtfusv"], TargetNames.MatchKeys("ZTF23abtfusv"));
        Assert.Empty(TargetNames.MatchKeys(" - "));
    }

    [Fact]
    public void TargetNames_MatchKeys_AnLsstIdAndItsDesignationAreOneName()
    {
        Assert.Equal(["169298433216610349", "lsstpdo169298433216610349"], TargetNames.MatchKeys("169298433216610349"));
        Assert.Equal(["lsstpdo169298433216610349", "169298433216610349"], TargetNames.MatchKeys("LSST-P-DO-169298433216610349"));
        Assert.Equal(new[] { "LSST-P-DO-169298433216610349", "169298433216610349" }.Select(TargetNames.Normalize).Order(),
            TargetNames.MatchKeys("169298433216610349").Order());
    }

    private static readonly BrokerForm Form = new()
    {
        Fields =
        [
            new FormField("ra", "RA", FieldKind.Number) { Min = 0, MaxExclusive = 360 },
            new FormField("ndet", "Detections", FieldKind.Integer) { Required = true },
            new FormField("order", "Order", FieldKind.Choice) { Choices = [new("ASC", "Ascending"), new("DESC", "Descending")] },
        ],
        Validate = (p, e) =>
        {
            if (p.GetLong("ndet") > 100)
            {
                e.Add(FormErrors.FormWide, "too many");
            }
        },
    };

    [Fact]
    public void Clean_ValidInput_KeepsTomShapeWithTypedValues()
    {
        var result = Form.Clean("TEST", new Dictionary<string, string?> { ["query_name"] = " my query ", ["ra"] = "0", ["ndet"] = "5", ["order"] = "" });

        Assert.True(result.IsValid);
        Assert.Equal("""{"query_name":"my query","broker":"TEST","ra":0,"ndet":5,"order":null}""", result.Parameters.ToJsonString());
    }

    [Theory]
    [InlineData("ra", "360", "ra", "less than 360")]
    [InlineData("ra", "-0.1", "ra", "greater than or equal to 0")]
    [InlineData("ra", "ten", "ra", "Enter a number.")]
    [InlineData("ra", "NaN", "ra", "Enter a number.")]
    [InlineData("ndet", "", "ndet", "This field is required.")]
    [InlineData("ndet", "2.5", "ndet", "Enter a whole number.")]
    [InlineData("order", "desc", "order", "Select a valid choice.")]
    public void Clean_BadValue_PutsTheMessageOnThatField(string field, string value, string errorField, string message)
    {
        var input = new Dictionary<string, string?> { ["query_name"] = "q", ["ndet"] = "5", [field] = value };

        var result = Form.Clean("TEST", input);

        Assert.Contains(result.Errors.For(errorField), m => m.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Clean_MissingQueryName_StillRunsCrossFieldRules()
    {
        var result = Form.Clean("TEST", new Dictionary<string, string?> { ["ndet"] = "500" });

        Assert.Equal(["This field is required."], result.Errors.For("query_name"));
        Assert.Equal(["too many"], result.Errors.For(FormErrors.FormWide));
    }

    [Fact]
    public void ToInput_StoredParameters_GiveTheFormValuesBack()
    {
        var stored = JsonNode.Parse("""{"query_name":"q","broker":"TEST","ra":150.5,"ndet":5,"order":"ASC","flag":true,"none":null}""")!.AsObject();

        var input = BrokerForm.ToInput(stored);

        Assert.Equal("150.5", input["ra"]);
        Assert.Equal("5", input["ndet"]);
        Assert.Equal("ASC", input["order"]);
        Assert.Equal("true", input["flag"]);
        Assert.Null(input["none"]);
    }
}

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

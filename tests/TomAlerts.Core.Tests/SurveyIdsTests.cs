using TomAlerts.Targets;

namespace TomAlerts.Core.Tests;

public class SurveyIdsTests
{
    [Theory]
    [InlineData("ZTF23abtfusv", "ZTF")]
    [InlineData("169298433216610349", "LSST")]
    [InlineData("LSST-P-DO-169298433216610349", "LSST")]
    [InlineData("ANT2023ch7kxe", "ANTARES")]
    [InlineData("ANT2026b78o35eau2gs", "ANTARES")]
    [InlineData("Gaia23dnw", "Gaia")]
    [InlineData("2023vjq", "TNS")]
    [InlineData("SN 2023vjq", "TNS")]
    [InlineData("AT2023mkq", "TNS")]
    [InlineData(" ZTF23abtfusv ", "ZTF")]
    public void SurveyOf_KnownShapes_NamesTheSurvey(string name, string expected)
    {
        Assert.Equal(expected, SurveyIds.SurveyOf(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ZTF23ABTFUSV")]     // ZTF ids are lower case
    [InlineData("ZTF23abtfus")]      // six letters
    [InlineData("LSST-P-DS-169298433216610349")] // a DiaSource, not an object
    [InlineData("LSST-P-DO-")]
    [InlineData("ATLAS23vxk")]
    [InlineData("PS23kpm")]
    [InlineData("M31")]
    public void SurveyOf_OtherNames_IsUnknown(string? name)
    {
        Assert.Null(SurveyIds.SurveyOf(name));
    }
}

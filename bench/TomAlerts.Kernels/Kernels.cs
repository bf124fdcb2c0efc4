using BenchmarkDotNet.Attributes;
using TomAlerts.Sky;
using TomAlerts.Targets;

namespace TomAlerts.Kernels;

/// <summary>TOM's name key, on the name shapes brokers send.</summary>
[MemoryDiagnoser]
public class NormalizeBenchmarks
{
    [Params("ZTF21abcdefg", "SN 2023vjq", "Gaia23-abc_(x)")]
    public string Name { get; set; } = "";

    [Benchmark]
    public string Normalize() => TargetNames.Normalize(Name);
}

/// <summary>The exact separation behind every cone and position match, and the zone bounds of a cone.</summary>
[MemoryDiagnoser]
public class SkyBenchmarks
{
    private double _ra = 150.3157;
    private double _dec = 2.2094;

    [Benchmark]
    public double Separation() => Angles.Separation(_ra, _dec, _ra + 0.0003, _dec - 0.0002);

    [Benchmark]
    public ConeBounds BoundsOneArcminute() => SkyZones.Bounds(_ra, _dec, 1 / 60.0);

    [Benchmark]
    public ConeBounds BoundsAcrossRaZero() => SkyZones.Bounds(0.001, _dec, 1 / 60.0);

    [Benchmark]
    public int ZoneOf() => SkyZones.ZoneOf(_dec);
}

/// <summary>Reading the RA and Dec a person types.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    [Params("10:01:15.78", "10h01m15.78s", "150.3157")]
    public string Ra { get; set; } = "";

    [Benchmark]
    public double TryParseRa() => Angles.TryParseRa(Ra, out var degrees) ? degrees : double.NaN;

    [Benchmark]
    public double TryParseDecSexagesimal() => Angles.TryParseDec("+02:12:33.9", out var degrees) ? degrees : double.NaN;
}

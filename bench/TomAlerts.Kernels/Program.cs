using BenchmarkDotNet.Running;

// BenchmarkDotNet kernels; run in Release, e.g.
//   dotnet run -c Release --project bench/TomAlerts.Kernels -- --filter '*'
//   dotnet run -c Release --project bench/TomAlerts.Kernels -- --filter '*Normalize*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

using TomAlerts.Bench;

// End-to-end figures for TomAlerts, printed to the console. Run in Release:
//   dotnet run -c Release --project bench/TomAlerts.Bench -- ingest --alerts 10000
//   dotnet run -c Release --project bench/TomAlerts.Bench -- create-targets --targets 1000 --points 100
//   dotnet run -c Release --project bench/TomAlerts.Bench -- all --count 1000000     (seed, plans, lookups, pages, ingest, creation)
//   dotnet run -c Release --project bench/TomAlerts.Bench -- stamps --stamps 300 --samples 1000
// docs/performance.md has every command and figure.
// Add --provider postgres --connection "Host=…" to measure on PostgreSQL (default: a fresh SQLite file).
return await BenchCommands.RunAsync(args);

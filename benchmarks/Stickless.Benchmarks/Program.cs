using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Stickless.Benchmarks -- --filter '*InMemory*' [--job short]   (or '*Middleware*')
BenchmarkSwitcher.FromAssembly(typeof(Stickless.Benchmarks.InMemorySessionStoreBenchmarks).Assembly).Run(args);

using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Stickless.Redis.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

using BenchmarkDotNet.Running;

// Runs the benchmarks named by --filter (all with '*'); "--job short" for a quick, less precise run. See docs/performance.md.
BenchmarkSwitcher.FromAssembly(typeof(Onboarding.Benchmarks.TokenValidationBenchmarks).Assembly).Run(args);

using BenchmarkDotNet.Running;
using Taskee.Benchmarks;

// `http ...` runs the load generator against a node process; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "http") return await LoadGenerator.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(FastPathBenchmarks).Assembly).Run(args, BenchmarkConfig.Create());
return 0;

using BenchmarkDotNet.Running;
using Taskee.Benchmarks;

// `memory ...` measures memory per active organisation grain; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "memory") return await ActivationMemory.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(DecisionBenchmarks).Assembly).Run(args, BenchmarkConfig.Create());
return 0;

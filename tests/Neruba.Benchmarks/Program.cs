using Neruba.Benchmarks.Billing;
using Neruba.Benchmarks.Ingest;
using Neruba.Benchmarks.Ledger;
using Neruba.Benchmarks.Pages;

// Neruba benchmarks: each scenario prints its own figures. Not part of the test run.
var scenario = args.FirstOrDefault() ?? "help";
switch (scenario)
{
    case "ingest":
        await IngestBenchmark.RunAsync(args.Skip(1).ToArray());
        return 0;
    case "billing":
        await BillingBenchmark.RunAsync(args.Skip(1).ToArray());
        return 0;
    case "ledger":
        await LedgerBenchmark.RunAsync(args.Skip(1).ToArray());
        return 0;
    case "console":
        await ConsoleBenchmark.RunAsync(args.Skip(1).ToArray());
        return 0;
    default:
        Console.WriteLine("usage: dotnet run -c Release --project tests/Neruba.Benchmarks -- <scenario>");
        Console.WriteLine("scenarios:");
        Console.WriteLine("  ledger [entries] [callers]   journal entries per second through the wallet writer's group commit (SQLite file), single-threaded and parallel");
        Console.WriteLine("  billing [customers] [events] a month's billing run over customers with subscriptions and usage, then a rerun compared to it");
        Console.WriteLine("  console [customers] [events] [users]  console pages (customer, invoice, lists, audit, usage) under signed-in users at once, big data set");
        Console.WriteLine("  ingest [batches] [singles]   usage events over loopback HTTP to the real console: batches, single events, re-sent duplicates");
        return scenario == "help" ? 0 : 2;
}

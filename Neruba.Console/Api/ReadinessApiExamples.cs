using Neruba.Console.Api.Reference;
using static Neruba.Console.Api.ReadinessApi;

namespace Neruba.Console.Api;

/// <summary>Reference examples for <see cref="ReadinessApi"/>.</summary>
internal static class ReadinessApiExamples
{
    private static readonly ReadinessDto Report = new("red", new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero),
    [
        new("platform.database", "platform", "Database reachable and migrated", "green", "The database is writable and fully migrated.", 0,
            "Healthy is green, degraded amber, unhealthy red (as /health/ready)", "/operations/jobs", "/runbooks/platform-health", []),
        new("integrity.ledger", "moneyIntegrity", "Ledger integrity", "green", "Passed 12 min ago: 48,210 entries, 1,204 wallets, 3,118 invoices", 0,
            "Problems are red; no check for 26 h amber", "/readiness#integrity", "/runbooks/ledger-integrity", []),
        new("billing.failed_runs", "billing", "Failed billing runs", "red", "1 run has failed customers (newest 2026-10)", 1,
            "Any failed customer not yet retried is red", "/billing-runs/0f4b7c1e-2d3a-4b5c-8d9e-0a1b2c3d4e5f", "/runbooks/failed-billing-run",
            ["0f4b7c1e-2d3a-4b5c-8d9e-0a1b2c3d4e5f"]),
        new("finance.approvals", "finance", "Awaiting approval", "amber", "2 credit grants; oldest waiting 3 h 10 min", 2,
            "Any waiting is amber, older than 24 h red", "/credits", "/runbooks/credit-approval-backlog", []),
    ]);

    public static RouteHandlerBuilder ReadinessDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Read the readiness signals",
            "Every readiness signal of the key's project, as the console's Readiness page shows them: `level` is off, green, amber or red; `value` is the " +
            "figure as a number (a count, minutes or MB; -1 when none); `fixPage` and `runbook` are console paths. `overall` is the worst level. Read-only.")
        .Ok(Report);
}

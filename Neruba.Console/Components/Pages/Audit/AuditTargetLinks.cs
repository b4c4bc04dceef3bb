using Neruba.Infrastructure.Audit;

namespace Neruba.Console.Components.Pages.Audit;

/// <summary>Where an audit record's target lives in the console, so a row opens it. Targets without a page of their own open nothing.</summary>
public static class AuditTargetLinks
{
    public static string? Href(AuditRow row) => row.TargetType switch
    {
        "customer" or "subscription" when row.TargetCustomerId is { } customer => $"/customers/{customer}",
        "invoice" when row.TargetId is { } id => $"/invoices/{Uri.EscapeDataString(id)}",
        "dispute" when row.TargetId is { } id => $"/disputes/stripe/{Uri.EscapeDataString(id)}",
        "billing_run" when Guid.TryParse(row.TargetId, out var run) => $"/billing-runs/{run}",
        "backfill" => "/usage/imports",
        "metric" => "/usage/metrics",
        "plan" => "/billing-runs/plans",
        "member" => "/settings/members",
        "api_key" => "/settings/api-keys",
        "project" => "/settings",
        _ => null,
    };
}

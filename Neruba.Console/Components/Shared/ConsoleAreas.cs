using MudBlazor;
using Neruba.Domain.Access;

namespace Neruba.Console.Components.Shared;

/// <summary>A product area in the navigation and on the overview.</summary>
public sealed record ConsoleArea(string Title, string Href, string Icon, string Purpose, Permission Required = Permission.ViewConsole);

/// <summary>The product's areas, in navigation order.</summary>
public static class ConsoleAreas
{
    public static readonly IReadOnlyList<ConsoleArea> All =
    [
        new("Customers", "/customers", Icons.Material.Filled.People, "Find a customer, read their details, balance, usage and invoices."),
        new("Credits", "/credits", Icons.Material.Filled.Savings, "Grant credits with a reason and approve large grants (four eyes)."),
        new("Credit packs", "/credit-packs", Icons.Material.Filled.ShoppingCart, "Credit customers can buy through Stripe Checkout: price, credit, expiry."),
        new("Invoices", "/invoices", Icons.Material.Filled.ReceiptLong, "Read finalized invoices and correct them with credit notes."),
        new("Credit notes", "/credit-notes", Icons.Material.Filled.RequestQuote, "Read the credit notes issued against invoices: why, how much and where it went."),
        new("Payments", "/payments", Icons.Material.Filled.Payments, "Stripe payments, refunds, failed collections and the webhook log."),
        new("Corrections", "/corrections", Icons.Material.Filled.Rule, "Credit notes, voided and reissued invoices, rerun corrections awaiting approval."),
        new("Disputes", "/disputes", Icons.Material.Filled.Gavel, "Review card disputes by evidence due date and submit evidence."),
        new("Reconciliation", "/reconciliation", Icons.Material.Filled.Balance, "Match Stripe's balance transactions to the ledger and clear the mismatch queue."),
        new("Billing runs", "/billing-runs", Icons.Material.Filled.PlayCircle, "Trigger and watch billing runs and reruns live; manage plans."),
        new("Usage", "/usage", Icons.Material.Filled.BarChart, "Explore metered usage per customer and metric, import backfills."),
        new("Readiness", "/readiness", Icons.Material.Filled.MonitorHeart, "Health of the system and the business signals that need attention."),
        new("Audit", "/audit", Icons.Material.Filled.History, "Every change to money or access: who, what, when and why."),
        new("Settings", "/settings", Icons.Material.Filled.Settings, "Project settings, members, roles, API keys and Stripe payments.", Permission.ManageProject),
    ];

    /// <summary>The areas a person with <paramref name="access"/> may open, for the navigation and the overview.</summary>
    public static IEnumerable<ConsoleArea> VisibleTo(Neruba.Infrastructure.Access.ProjectAccess? access) =>
        All.Where(a => access?.Allows(a.Required) == true);

    public static ConsoleArea? ForPath(string relativePath)
    {
        var path = "/" + relativePath.Split('?', '#')[0].Trim('/');
        return All.FirstOrDefault(a => string.Equals(a.Href, path, StringComparison.OrdinalIgnoreCase));
    }
}

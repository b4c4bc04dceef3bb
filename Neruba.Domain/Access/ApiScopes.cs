namespace Neruba.Domain.Access;

/// <summary>What an API key may do. A key carries one or more scopes; every API endpoint requires exactly one.</summary>
public static class ApiScopes
{
    public const string UsageWrite = "usage:write";
    public const string BillingRead = "billing:read";
    public const string CreditsRead = "credits:read";
    public const string CreditsWrite = "credits:write";
    public const string SetupWrite = "setup:write";
    public const string BillingWrite = "billing:write";

    public static readonly IReadOnlyList<string> All = [UsageWrite, BillingRead, CreditsRead, CreditsWrite, SetupWrite, BillingWrite];

    public static string Describe(string scope) => scope switch
    {
        UsageWrite => "Send usage events",
        BillingRead => "Read customers, invoices and billing state",
        CreditsRead => "Read balances and credit blocks",
        CreditsWrite => "Grant credits",
        SetupWrite => "Create and change customers, metrics, plans and subscriptions",
        BillingWrite => "Correct invoices: issue credit notes, void invoices",
        _ => scope,
    };

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}

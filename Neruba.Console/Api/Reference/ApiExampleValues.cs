using Neruba.Domain.Money;
using static Neruba.Console.Api.CreditsApi;

namespace Neruba.Console.Api.Reference;

/// <summary>Ids and times shared by the areas' examples, so one customer or invoice reads the same on every page of the reference.</summary>
internal static class ApiExampleValues
{
    public static readonly Guid CustomerId = Guid.Parse("0f8b6c2a-3d4e-4f51-8a9b-1c2d3e4f5a6b");
    public static readonly Guid InvoiceId = Guid.Parse("7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f");
    public static readonly Guid SubscriptionId = Guid.Parse("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9");
    public static readonly Guid PackId = Guid.Parse("2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d");
    public const string ExternalId = "acme-42";
    public const string CustomerName = "Acme Analytics GmbH";
    public const string InvoiceNumber = "INV-2026-0042";
    public static readonly DateTimeOffset Created = new(2026, 10, 3, 9, 15, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Finalized = new(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);

    public static AmountDto Eur(long minor) => AmountDto.From(new MoneyAmount(minor, Currency.Of("EUR")));
}

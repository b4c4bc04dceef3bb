using Neruba.Console.Api.Reference;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Plans;
using Neruba.Infrastructure.Billing.Subscriptions;
using Neruba.Infrastructure.UseCases;
using static Neruba.Console.Api.BillingApi;
using static Neruba.Console.Api.Reference.ApiExampleValues;

namespace Neruba.Console.Api;

/// <summary>Reference examples for <see cref="BillingApi"/>: plans, subscriptions and invoices.</summary>
internal static class BillingApiExamples
{
    private static readonly UsageCharge Calls = new("api_calls", ChargeModel.Graduated, 0m, [new PriceTier(100000m, 0.0025m), new PriceTier(null, 0.0015m)], 1m, 10000m);
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly PlanBody Plan = new("Growth", "EUR", BillingInterval.Monthly, new JsonAmount("49.00"), FeeTiming.InAdvance, [Calls],
        new JsonAmount("100.00"), new JsonAmount("10.00"));

    private static readonly PlanVersionView Version = new(Guid.Parse("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"), 2, "Growth",
        new PlanTerms("EUR", BillingInterval.Monthly, 4900, FeeTiming.InAdvance, [Calls], 10000, 1000), true, Created, "API key setup (nrb_7hd1…)");

    public static readonly PlanView PlanView = new(Guid.Parse("b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"), "growth", "Growth", Version, [Version]);

    public static readonly StartBody StartBody = new("growth", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 1));

    public static readonly SubscriptionView Subscription = new(SubscriptionId, CustomerId, "growth", "Growth", "EUR", BillingInterval.Monthly, Start, null, Start,
        [new SubscriptionPhaseView(Version.Id, "growth", "Growth", 2, Start, null)]);

    public static readonly InvoiceSummary Invoice = new(InvoiceId, InvoiceNumber, CustomerId, CustomerName, ExternalId, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero),
        InvoiceStatus.Finalized, "EUR", 18650, 2500, 16150, Finalized);

    public static RouteHandlerBuilder ListPlansDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("List plans", "Every plan with its current version and all earlier ones; versions never change once made.")
        .Ok<IReadOnlyList<PlanView>>([PlanView]);

    public static RouteHandlerBuilder SavePlanDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Create or change a plan",
            "Creates the plan with this code, or adds its next version: subscriptions and invoices keep the version they were made with. " +
            "Amounts in major units (49.00); usage charges per metric: perUnit, graduated, volume or package, with tiers and an included quantity.",
            400, 409, 413, 415)
        .Request(Plan).Ok(PlanView);

    public static RouteHandlerBuilder ListSubscriptionsDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("List a customer's subscriptions", "The customer's subscriptions with their plan phases, newest first.", 404)
        .Ok<IReadOnlyList<SubscriptionView>>([Subscription]);

    public static RouteHandlerBuilder StartSubscriptionDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Subscribe a customer to a plan",
            "Starts a subscription to the plan's current version on `startsOn` (today when left out), billed monthly or yearly from `billingAnchor`.",
            400, 404, 409, 413, 415)
        .Idempotent(required: false).Request(StartBody).Ok(Subscription);

    public static RouteHandlerBuilder ChangePlanDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Change a subscription's plan",
            "Moves the subscription to another plan's current version from `effectiveOn` (a new phase); the old phase is billed up to that day.",
            400, 404, 409, 413, 415)
        .Idempotent(required: false).Request(new ChangeBody("scale", new DateOnly(2026, 12, 1)))
        .Ok(Subscription with { PlanCode = "scale", PlanName = "Scale" });

    public static RouteHandlerBuilder CancelDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Cancel a subscription",
            "Cancels at the end of the current period (`atPeriodEnd`) or after today (`immediately`, the base fee prorated by day), with a reason.",
            400, 404, 409, 413, 415)
        .Idempotent(required: false).Request(new CancelBody(CancellationMode.AtPeriodEnd, "Moving to annual contract."))
        .Ok(Subscription with { EndsAt = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) });

    public static RouteHandlerBuilder ListInvoicesDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("List invoices",
            "Finalized invoices, newest number first, paged; filter by `status` (finalized, paid, void, uncollectible), `month` (yyyy-MM) and " +
            "`customer` (id or external id). Amounts in minor units of `currency`.", 400)
        .Ok(new PageOf<InvoiceSummary>([Invoice], 1, 0, 25));

    public static RouteHandlerBuilder GetInvoiceDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Get an invoice",
            "One finalized invoice by its id or number, with its lines as billed (the draft the billing run computed), its run and subscription.", 404)
        .Produces<InvoiceDetails>();
}

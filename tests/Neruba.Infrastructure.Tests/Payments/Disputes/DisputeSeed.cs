using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Payments.Disputes;

namespace Neruba.Infrastructure.Tests.Payments.Disputes;

/// <summary>
/// Disputes as the dispute webhooks create them: the cardholder disputes acme's Stripe payment at the fake, and its events are delivered and
/// processed.
/// </summary>
internal static class DisputeSeed
{
    /// <summary>Pays acme's invoice through Stripe and disputes the charge; the dispute's record.</summary>
    public static async Task<DisputeRecord> DisputeAcmeAsync(this PaymentScenario s, string reason = "fraudulent", long? amount = null)
    {
        await s.PayAcmeThroughStripeAsync();
        var payment = await s.Harness.QueryAsync(db => db.Payments.AsNoTracking()
            .SingleAsync(p => p.ProjectId == s.Harness.ProjectId && p.Method == PaymentMethod.Stripe && p.StripeChargeId != null));
        var stripeId = s.Fake.CreateDispute(payment.StripeChargeId!, reason, amount);
        await s.DeliverAndProcessAsync();
        return await s.Harness.QueryAsync(db => db.Disputes.AsNoTracking().SingleAsync(d => d.StripeDisputeId == stripeId));
    }

    /// <summary>The dispute as the fake Stripe holds it now.</summary>
    public static JsonObject StripeDispute(PaymentScenario s, string stripeId) => JsonNode.Parse(s.Fake.GetObjectJson(stripeId)!)!.AsObject();

    public static Task<DisputeRecord> RecordAsync(this PaymentScenario s, Guid id) =>
        s.Harness.QueryAsync(db => db.Disputes.AsNoTracking().SingleAsync(d => d.Id == id));
}

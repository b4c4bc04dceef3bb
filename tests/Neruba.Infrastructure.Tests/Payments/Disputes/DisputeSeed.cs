using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Payments.Disputes;

namespace Neruba.Infrastructure.Tests.Payments.Disputes;

/// <summary>
/// Disputes as the dispute webhook creates them: the cardholder disputes acme's Stripe payment at the fake, and the matching record is stored the
/// way charge.dispute.created would store it. The one place to swap for delivering the real webhook once it lands.
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
        var dispute = StripeDispute(s, stripeId);
        var record = new DisputeRecord
        {
            Id = Guid.NewGuid(), ProjectId = s.Harness.ProjectId, StripeDisputeId = stripeId, ChargeId = payment.StripeChargeId!,
            PaymentIntentId = dispute["payment_intent"]?.GetValue<string>(), CustomerId = payment.CustomerId, InvoiceId = payment.InvoiceId, PaymentId = payment.Id,
            Currency = dispute["currency"]!.GetValue<string>().ToUpperInvariant(), Amount = dispute["amount"]!.GetValue<long>(), Reason = reason,
            Status = DisputeStatus.NeedsResponse,
            EvidenceDueBy = DateTimeOffset.FromUnixTimeSeconds(dispute["evidence_details"]!["due_by"]!.GetValue<long>()),
            StripeCreatedAt = DateTimeOffset.FromUnixTimeSeconds(dispute["created"]!.GetValue<long>()),
            CreatedAt = s.Harness.Clock.GetUtcNow(), UpdatedAt = s.Harness.Clock.GetUtcNow(), Version = 1,
        };
        await s.Harness.QueryAsync(db =>
        {
            db.Disputes.Add(record);
            return db.SaveChangesAsync();
        });
        return record;
    }

    /// <summary>The dispute as the fake Stripe holds it now.</summary>
    public static JsonObject StripeDispute(PaymentScenario s, string stripeId) => JsonNode.Parse(s.Fake.GetObjectJson(stripeId)!)!.AsObject();

    public static Task<DisputeRecord> RecordAsync(this PaymentScenario s, Guid id) =>
        s.Harness.QueryAsync(db => db.Disputes.AsNoTracking().SingleAsync(d => d.Id == id));
}

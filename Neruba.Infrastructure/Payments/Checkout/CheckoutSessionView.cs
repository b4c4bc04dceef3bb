using Neruba.Domain.Money;

namespace Neruba.Infrastructure.Payments.Checkout;

/// <summary>A checkout link for a credit pack and where its payment stands.</summary>
public sealed record CheckoutSessionView(Guid Id, Guid CustomerId, string StripeSessionId, string Url, CheckoutStatus Status, Guid PackId, string PackName,
    MoneyAmount Price, MoneyAmount Credit, int? ExpiryDays, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? PaidAt)
{
    public static CheckoutSessionView From(CheckoutSessionRecord session)
    {
        var currency = Currency.Of(session.Currency);
        return new CheckoutSessionView(session.Id, session.CustomerId, session.StripeSessionId, session.Url, session.Status, session.PackId, session.PackName,
            new MoneyAmount(session.Price, currency), new MoneyAmount(session.Credit, currency), session.ExpiryDays, session.CreatedAt, session.CreatedByName,
            session.PaidAt);
    }

    public object ForAudit() => new { StripeSessionId, PackId, PackName, Price = Price.ToString(), Credit = Credit.ToString(), ExpiryDays, Status };
}

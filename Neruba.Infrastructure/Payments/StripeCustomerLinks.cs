using Microsoft.EntityFrameworkCore;
using Customer = Neruba.Domain.Customers.Customer;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Persistence;
using Stripe;

namespace Neruba.Infrastructure.Payments;

/// <summary>Links a Neruba customer to a Stripe customer on first need: created with an idempotency key derived from the customer, so never twice.</summary>
public static class StripeCustomerLinks
{
    public static async Task<string> EnsureAsync(NerubaDbContext db, StripeConnection connection, Customer customer, CancellationToken cancellationToken)
    {
        var existing = await db.StripeCustomers.AsNoTracking().Where(c => c.ProjectId == customer.ProjectId && c.CustomerId == customer.Id)
            .Select(c => c.StripeCustomerId).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var created = await connection.Client.V1.Customers.CreateAsync(new CustomerCreateOptions
        {
            Email = string.IsNullOrWhiteSpace(customer.Email) ? null : customer.Email,
            Name = customer.Name,
            Metadata = new Dictionary<string, string>
            {
                ["neruba_project"] = customer.ProjectId.ToString(), ["neruba_customer"] = customer.Id.ToString(), ["neruba_external_id"] = customer.ExternalId,
            },
        }, new RequestOptions { IdempotencyKey = $"neruba-customer-{customer.Id:N}" }, cancellationToken);

        // Saved at once: the link stands even if the caller's later work fails. A racing request that stored it first wins; both got the same
        // Stripe customer thanks to the idempotency key.
        var link = new StripeCustomerRecord
        {
            Id = Guid.NewGuid(), ProjectId = customer.ProjectId, CustomerId = customer.Id, StripeCustomerId = created.Id, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.StripeCustomers.Add(link);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (WalletWriter.IsLostRace(exception))
        {
            db.Entry(link).State = EntityState.Detached;
        }

        return created.Id;
    }
}

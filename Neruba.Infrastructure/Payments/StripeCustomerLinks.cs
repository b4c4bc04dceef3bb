using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Customer = Neruba.Domain.Customers.Customer;
using Neruba.Infrastructure.Persistence;
using Stripe;

namespace Neruba.Infrastructure.Payments;

/// <summary>
/// Links a Neruba customer to a Stripe customer on first need. The Stripe customer is created with an idempotency key derived from the Neruba
/// customer, so two racing requests (or a retry after a crash) get the same Stripe customer back from Stripe; the link is unique per
/// (project, customer), and a request that loses the race to store it returns the winner's.
/// </summary>
public static class StripeCustomerLinks
{
    public static string IdempotencyKey(Guid customerId) => $"neruba-customer-{customerId:N}";

    /// <summary>The Stripe customer id for <paramref name="customer"/>, created in Stripe and stored (saved at once) when there is none yet.</summary>
    /// <param name="now">When the link is made (the caller's clock); the system clock when omitted.</param>
    /// <exception cref="StripeException">Stripe refused or failed; nothing was stored (describe it with <see cref="StripeGateway.Describe"/>).</exception>
    public static async Task<string> EnsureAsync(NerubaDbContext db, StripeConnection connection, Customer customer, CancellationToken cancellationToken,
        DateTimeOffset? now = null)
    {
        if (await FindAsync(db, customer, cancellationToken) is { } existing)
        {
            return existing;
        }

        var created = await CreateAsync(connection, customer, cancellationToken);

        // Stored through a context of its own: the caller's pending changes are not saved with it, and a lost race does not poison the caller's context.
        await using var own = SiblingOf(db);
        own.StripeCustomers.Add(new StripeCustomerRecord
        {
            Id = Guid.NewGuid(), ProjectId = customer.ProjectId, CustomerId = customer.Id, StripeCustomerId = created.Id,
            CreatedAt = now ?? DateTimeOffset.UtcNow,
        });
        try
        {
            await own.SaveChangesAsync(cancellationToken);
            return created.Id;
        }
        catch (DbUpdateException)
        {
            // Another request stored the link first; with the same idempotency key Stripe returned the same customer to both.
            return await FindAsync(db, customer, cancellationToken) ?? throw new InvalidOperationException(
                $"The Stripe customer link for {customer.ExternalId} could not be stored, and no other request stored one.");
        }
    }

    /// <summary>
    /// Creates the Stripe customer under the customer's idempotency key. A racing request with the same key gets "in progress" (409) from Stripe
    /// until the first finishes; it waits and asks again, and then gets the same customer.
    /// </summary>
    private static async Task<Stripe.Customer> CreateAsync(StripeConnection connection, Customer customer, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await new CustomerService(connection.Client).CreateAsync(new CustomerCreateOptions
                {
                    Email = customer.Email,
                    Name = customer.Name,
                    Metadata = new Dictionary<string, string>
                    {
                        ["neruba_project"] = customer.ProjectId.ToString(),
                        ["neruba_customer"] = customer.Id.ToString(),
                        ["neruba_external_id"] = customer.ExternalId,
                    },
                }, new RequestOptions { IdempotencyKey = IdempotencyKey(customer.Id) }, cancellationToken);
            }
            catch (StripeException exception) when (attempt < 10 && exception.HttpStatusCode == System.Net.HttpStatusCode.Conflict
                && exception.StripeError?.Type == "idempotency_error")
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
            }
        }
    }

    private static Task<string?> FindAsync(NerubaDbContext db, Customer customer, CancellationToken cancellationToken) =>
        db.StripeCustomers.AsNoTracking()
            .Where(l => l.ProjectId == customer.ProjectId && l.CustomerId == customer.Id)
            .Select(l => l.StripeCustomerId)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>A new context of the same provider and options as <paramref name="db"/>.</summary>
    private static NerubaDbContext SiblingOf(NerubaDbContext db) =>
        (NerubaDbContext)Activator.CreateInstance(db.GetType(), db.GetService<IDbContextOptions>())!;
}

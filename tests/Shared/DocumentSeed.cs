using Neruba.Domain.Billing;
using Neruba.Domain.Customers;
using Neruba.Infrastructure.Billing;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Tests.Shared;

/// <summary>
/// Finalized invoices and credit notes written straight into the database, until the correction use cases exist to issue them. Fixed
/// dates (September 2026, finalized 2 October), never the clock, so documents and filters read the same on any day.
/// </summary>
public static class DocumentSeed
{
    public static readonly DateTimeOffset PeriodStart = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset FinalizedAt = new(2026, 10, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A customer with a subscription, its plan and a final run, for <see cref="InvoiceAsync"/> to bill.</summary>
    public static async Task<(Customer Customer, Guid SubscriptionId, Guid RunId)> CustomerAsync(NerubaDbContext db, Guid projectId, string externalId, string name)
    {
        var customer = new Customer(Guid.NewGuid(), projectId, externalId, name, $"{externalId}@billing.example", "USD", "UTC", PeriodStart);
        var plan = new PlanRecord { Id = Guid.NewGuid(), ProjectId = projectId, Code = "plan-" + externalId, Name = "Starter", CreatedAt = PeriodStart };
        var subscription = new SubscriptionRecord
        {
            Id = Guid.NewGuid(), ProjectId = projectId, CustomerId = customer.Id, PlanId = plan.Id, BillingAnchor = PeriodStart, StartsAt = PeriodStart, CreatedAt = PeriodStart,
        };
        var run = new BillingRunRecord
        {
            Id = Guid.NewGuid(), ProjectId = projectId, PeriodStart = PeriodStart, Kind = BillingRunKind.Manual, Status = BillingRunStatus.Succeeded, TriggeredBy = "seed",
            CreatedAt = FinalizedAt,
        };
        db.AddRange(customer, plan, subscription, run);
        await db.SaveChangesAsync();
        return (customer, subscription.Id, run.Id);
    }

    /// <summary>
    /// An invoice of <paramref name="lines"/> lines: a 49.00 USD base fee, then usage lines of 1,234 requests at 0.002 (2.47 each).
    /// No credit applied, nothing paid: what is due is the total less the credit notes that reduced it.
    /// </summary>
    public static async Task<InvoiceRecord> InvoiceAsync(NerubaDbContext db, Guid projectId, (Customer Customer, Guid SubscriptionId, Guid RunId) owner, long sequence,
        int lines = 2, int revision = 0)
    {
        var periodEnd = PeriodStart.AddMonths(1);
        var invoiceLines = Enumerable.Range(0, lines).Select(i => i == 0
            ? new InvoiceLine(InvoiceLineKind.BaseFee, "Starter base fee", Guid.Empty, null, 1m, 49m, null, null, null, PeriodStart, 4900, "1 × 49.00")
            : new InvoiceLine(InvoiceLineKind.Usage, $"Requests, batch {i}", Guid.Empty, "requests", 1234m, 0.002m, null, null, null, null, 247, "1,234 × 0.002"))
            .ToList();
        var subtotal = invoiceLines.Sum(l => l.Amount);
        var draft = new InvoiceDraft(owner.SubscriptionId, owner.Customer.Id, "USD", PeriodStart, periodEnd, invoiceLines, subtotal, [], 0, subtotal);
        var invoice = new InvoiceRecord
        {
            Id = Guid.NewGuid(), ProjectId = projectId, CustomerId = owner.Customer.Id, SubscriptionId = owner.SubscriptionId, PeriodStart = PeriodStart,
            PeriodEnd = periodEnd, Revision = revision, Sequence = sequence, Status = InvoiceStatus.Finalized, Currency = "USD", Subtotal = subtotal,
            AmountDue = subtotal, Draft = draft, DraftHash = draft.Hash(), RunId = owner.RunId, FinalizedAt = FinalizedAt,
        };
        db.Invoices.Add(invoice);
        await db.SaveChangesAsync();
        return invoice;
    }

    /// <summary>A credit note against <paramref name="invoice"/>, its total the sum of its allocation, with one flat line and the invoice's figures kept in step.</summary>
    public static async Task<CreditNoteRecord> CreditNoteAsync(NerubaDbContext db, InvoiceRecord invoice, long sequence, long toDue, long refunded = 0,
        long toWallet = 0, string reasonCode = "billing_error", DateTimeOffset? issuedAt = null)
    {
        var total = toDue + refunded + toWallet;
        var note = new CreditNoteRecord
        {
            Id = Guid.NewGuid(), ProjectId = invoice.ProjectId, CustomerId = invoice.CustomerId, InvoiceId = invoice.Id, Sequence = sequence,
            IssueKey = $"seed-{sequence}", Currency = invoice.Currency, Total = total, ToDue = toDue, Refunded = refunded, ToWallet = toWallet,
            ReasonCode = reasonCode, Note = "Requests were counted twice.", Lines = [new CreditNoteLine(1, "Requests, batch 1", null, total, "Counted twice")],
            IssuedAt = issuedAt ?? FinalizedAt.AddDays(3), IssuedById = "seed", IssuedByName = "finance@example.test", EntryId = Guid.NewGuid(),
        };
        db.CreditNotes.Add(note);
        var tracked = await db.Invoices.FindAsync(invoice.Id) ?? invoice;
        tracked.CreditedTotal += total;
        tracked.CreditedToDue += toDue;
        tracked.RefundedTotal += refunded;
        tracked.Settle();
        await db.SaveChangesAsync();
        return note;
    }

    /// <summary>Voids a seeded credit note the way a void does: the invoice gets back what the note took.</summary>
    public static async Task VoidAsync(NerubaDbContext db, CreditNoteRecord note, DateTimeOffset at, string reason)
    {
        var tracked = await db.CreditNotes.FindAsync(note.Id) ?? note;
        tracked.Status = CreditNoteStatus.Void;
        tracked.VoidedAt = at;
        tracked.VoidedByName = "finance@example.test";
        tracked.VoidReason = reason;
        var invoice = await db.Invoices.FindAsync(note.InvoiceId) ?? throw new InvalidOperationException("The note's invoice is missing.");
        invoice.CreditedTotal -= note.Total;
        invoice.CreditedToDue -= note.ToDue;
        invoice.RefundedTotal -= note.Refunded;
        invoice.Settle();
        await db.SaveChangesAsync();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Payments.Disputes;
using Neruba.Infrastructure.Persistence;
using Neruba.Tests.Shared;

namespace Neruba.Console.Tests.Disputes;

/// <summary>
/// Disputes as the dispute webhook stores them, in the demo project (one customer and invoice behind them) and one in another project:
/// overdue, due in 2 d 4 h, under review with evidence submitted, won; and other project's.
/// </summary>
public sealed record ConsoleDisputeSeed(InvoiceRecord Invoice, Guid Overdue, Guid Soon, Guid Review, Guid Won, Guid Other)
{
    public static async Task<ConsoleDisputeSeed> SeedAsync(ConsoleAppFactory app)
    {
        var demoId = await app.DemoProjectIdAsync();
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var other = new Project(Guid.NewGuid(), "Other project", "other-disputes", "USD", "UTC", DocumentSeed.PeriodStart);
        db.Projects.Add(other);
        await db.SaveChangesAsync();
        var owner = await DocumentSeed.CustomerAsync(db, demoId, "dsp_acme", "Acme Disputes");
        var invoice = await DocumentSeed.InvoiceAsync(db, demoId, owner, 77);
        DisputeRecord Row(Guid project, string id, DisputeStatus status, string reason, DateTimeOffset? due) => new()
        {
            Id = Guid.NewGuid(), ProjectId = project, StripeDisputeId = id, ChargeId = "ch_" + id, CustomerId = project == demoId ? owner.Customer.Id : null,
            InvoiceId = project == demoId ? invoice.Id : null, Currency = "USD", Amount = 5394, Reason = reason, Status = status, EvidenceDueBy = due,
            StripeCreatedAt = now.AddDays(-3), CreatedAt = now, UpdatedAt = now, Version = 1,
        };
        var rows = new[]
        {
            Row(demoId, "dp_overdue", DisputeStatus.NeedsResponse, "fraudulent", now.AddHours(-3)),
            Row(demoId, "dp_soon", DisputeStatus.NeedsResponse, "product_not_received", now.AddDays(2).AddHours(4).AddMinutes(1)),
            Row(demoId, "dp_review", DisputeStatus.UnderReview, "fraudulent", now.AddDays(1)),
            Row(demoId, "dp_won", DisputeStatus.Won, "general", now.AddDays(-20)),
            Row(other.Id, "dp_other", DisputeStatus.NeedsResponse, "fraudulent", now.AddHours(-1)),
        };
        rows[2].SubmittedAt = now.AddHours(-1);
        rows[2].SubmittedByName = "finance@example.test";
        db.Disputes.AddRange(rows);
        await db.SaveChangesAsync();
        return new ConsoleDisputeSeed(invoice, rows[0].Id, rows[1].Id, rows[2].Id, rows[3].Id, rows[4].Id);
    }
}

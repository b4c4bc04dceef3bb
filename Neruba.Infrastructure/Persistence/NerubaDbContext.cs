using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Audit;
using Neruba.Domain.Customers;
using Neruba.Domain.Ledger;
using Neruba.Domain.Metering;
using Neruba.Infrastructure.Billing;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Access;

namespace Neruba.Infrastructure.Persistence;

/// <summary>
/// The one model of Neruba's data. Each database provider derives its own context
/// (<see cref="SqliteNerubaDbContext"/>, <see cref="SqlServerNerubaDbContext"/>) so each keeps its own migration set.
/// </summary>
public abstract class NerubaDbContext(DbContextOptions options) : IdentityDbContext<NerubaUser>(options)
{
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ProjectMembership> ProjectMemberships => Set<ProjectMembership>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<LedgerAccount> LedgerAccounts => Set<LedgerAccount>();
    public DbSet<JournalEntry> JournalEntries => Set<JournalEntry>();
    public DbSet<Posting> Postings => Set<Posting>();
    public DbSet<CreditBlock> CreditBlocks => Set<CreditBlock>();
    public DbSet<CreditGrant> CreditGrants => Set<CreditGrant>();
    public DbSet<UseCases.Idempotency.IdempotencyRecord> IdempotencyRecords => Set<UseCases.Idempotency.IdempotencyRecord>();
    public DbSet<BillableMetric> BillableMetrics => Set<BillableMetric>();
    public DbSet<UsageEventRecord> UsageEvents => Set<UsageEventRecord>();
    public DbSet<UsageCutoffRecord> UsageCutoffs => Set<UsageCutoffRecord>();
    public DbSet<UsageCutoffWindowRecord> UsageCutoffWindows => Set<UsageCutoffWindowRecord>();
    public DbSet<BackfillImport> BackfillImports => Set<BackfillImport>();
    public DbSet<PlanRecord> Plans => Set<PlanRecord>();
    public DbSet<PlanVersionRecord> PlanVersions => Set<PlanVersionRecord>();
    public DbSet<SubscriptionRecord> Subscriptions => Set<SubscriptionRecord>();
    public DbSet<SubscriptionPhaseRecord> SubscriptionPhases => Set<SubscriptionPhaseRecord>();
    public DbSet<BillingRunRecord> BillingRuns => Set<BillingRunRecord>();
    public DbSet<BillingRunItemRecord> BillingRunItems => Set<BillingRunItemRecord>();
    public DbSet<InvoiceRecord> Invoices => Set<InvoiceRecord>();
    public DbSet<Billing.Corrections.CreditNoteRecord> CreditNotes => Set<Billing.Corrections.CreditNoteRecord>();
    public DbSet<Billing.Corrections.PaymentRecord> Payments => Set<Billing.Corrections.PaymentRecord>();
    public DbSet<Billing.Corrections.RerunCommitRecord> RerunCommits => Set<Billing.Corrections.RerunCommitRecord>();
    public DbSet<Billing.Corrections.RerunCommitItemRecord> RerunCommitItems => Set<Billing.Corrections.RerunCommitItemRecord>();
    public DbSet<LateUsageClearanceRecord> LateUsageClearances => Set<LateUsageClearanceRecord>();
    public DbSet<Payments.StripeAccountRecord> StripeAccounts => Set<Payments.StripeAccountRecord>();
    public DbSet<Payments.StripeCustomerRecord> StripeCustomers => Set<Payments.StripeCustomerRecord>();
    public DbSet<Payments.CreditPackRecord> CreditPacks => Set<Payments.CreditPackRecord>();
    public DbSet<Payments.CheckoutSessionRecord> CheckoutSessions => Set<Payments.CheckoutSessionRecord>();
    public DbSet<Payments.CollectionAttemptRecord> CollectionAttempts => Set<Payments.CollectionAttemptRecord>();
    public DbSet<Payments.StripeRefundRecord> StripeRefunds => Set<Payments.StripeRefundRecord>();
    public DbSet<Payments.StripeEventRecord> StripeEvents => Set<Payments.StripeEventRecord>();
    public DbSet<Payments.Disputes.DisputeRecord> Disputes => Set<Payments.Disputes.DisputeRecord>();
    public DbSet<Payments.Disputes.DisputeFileRecord> DisputeFiles => Set<Payments.Disputes.DisputeFileRecord>();
    public DbSet<Payments.Disputes.DisputeNoteRecord> DisputeNotes => Set<Payments.Disputes.DisputeNoteRecord>();
    public DbSet<Payments.Reconciliation.ReconciliationRunRecord> ReconciliationRuns => Set<Payments.Reconciliation.ReconciliationRunRecord>();
    public DbSet<Payments.Reconciliation.ReconciliationMismatchRecord> ReconciliationMismatches => Set<Payments.Reconciliation.ReconciliationMismatchRecord>();
    public DbSet<Customers.Notes.CustomerNoteRecord> CustomerNotes => Set<Customers.Notes.CustomerNoteRecord>();
    public DbSet<Ledger.Integrity.LedgerIntegrityCheckRecord> LedgerIntegrityChecks => Set<Ledger.Integrity.LedgerIntegrityCheckRecord>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        AppendOnlyGuard.Check(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        AppendOnlyGuard.Check(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(NerubaDbContext).Assembly);
    }
}

public sealed class SqliteNerubaDbContext(DbContextOptions<SqliteNerubaDbContext> options) : NerubaDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        var events = builder.Entity<UsageEventRecord>();
        builder.Entity<BillingRunRecord>().HasIndex(r => r.ActiveKey, "IX_BillingRuns_ActiveKey").IsUnique().HasFilter("\"ActiveKey\" IS NOT NULL");

        // Usage events are the biggest table: 16-byte ids instead of 36-character text halve its indexes and double insert speed.
        events.Property(e => e.ProjectId).HasConversion<byte[]>();
        events.Property(e => e.CustomerId).HasConversion<byte[]>();
        events.Property(e => e.MetricId).HasConversion<byte[]>();
        events.Property(e => e.ImportId).HasConversion<byte[]>();

        // Cutoffs are joined to events by customer: the same 16-byte form, or the join would compare bytes with text.
        var cutoffs = builder.Entity<UsageCutoffRecord>();
        cutoffs.Property(c => c.ProjectId).HasConversion<byte[]>();
        cutoffs.Property(c => c.CustomerId).HasConversion<byte[]>();
        builder.Entity<UsageCutoffWindowRecord>().Property(w => w.MetricId).HasConversion<byte[]>();
        var clearances = builder.Entity<LateUsageClearanceRecord>();
        clearances.Property(c => c.ProjectId).HasConversion<byte[]>();
        clearances.Property(c => c.CustomerId).HasConversion<byte[]>();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time-offset type and cannot order by its text form; UTC ticks sort correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }
}

public sealed class SqlServerNerubaDbContext(DbContextOptions<SqlServerNerubaDbContext> options) : NerubaDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<BillingRunRecord>().HasIndex(r => r.ActiveKey, "IX_BillingRuns_ActiveKey").IsUnique().HasFilter("[ActiveKey] IS NOT NULL");
    }
}

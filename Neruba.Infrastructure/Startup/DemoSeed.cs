using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Domain.Access;
using Neruba.Domain.Customers;
using Neruba.Infrastructure.Configuration;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Startup;

/// <summary>
/// A demo project with a few customers, so a first look at the console is not an empty screen.
/// Found again by its slug, so seeding twice adds nothing.
/// </summary>
internal sealed partial class DemoSeed(NerubaDbContext db, TimeProvider clock, NerubaSettings settings, DemoBillingSeed billing, ILogger<DemoSeed> logger)
{
    public const string DemoSlug = "demo";

    private static readonly (string ExternalId, string Name, string Email, string Currency)[] DemoCustomers =
    [
        ("cus_acme", "Acme Analytics", "billing@acme.example", "USD"),
        ("cus_globex", "Globex Logistics", "ap@globex.example", "USD"),
        ("cus_initech", "Initech Software", "finance@initech.example", "EUR"),
        ("cus_umbrella", "Umbrella Health", "accounts@umbrella.example", "USD"),
        ("cus_hooli", "Hooli Cloud", "payables@hooli.example", "GBP"),
        ("cus_wayne", "Wayne Robotics", "billing@wayne.example", "USD"),
    ];

    public async Task SeedAsync(string adminUserId, CancellationToken cancellationToken)
    {
        if (await db.Projects.AnyAsync(p => p.Slug == DemoSlug, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var project = new Project(Guid.NewGuid(), "Demo project", DemoSlug, "USD", "UTC", now);
        db.Projects.Add(project);
        db.ProjectMemberships.Add(new ProjectMembership(Guid.NewGuid(), project.Id, adminUserId, ProjectRole.Admin, now));
        foreach (var (externalId, name, email, currency) in DemoCustomers)
        {
            db.Customers.Add(new Customer(Guid.NewGuid(), project.Id, externalId, name, email, currency, "UTC", now));
        }

        await db.SaveChangesAsync(cancellationToken);
        if (settings.DemoBilling)
        {
            await billing.SeedAsync(project.Id, cancellationToken);
        }

        LogSeeded(project.Name, DemoCustomers.Length);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo project '{Project}' with {Count} customers.")]
    private partial void LogSeeded(string project, int count);
}

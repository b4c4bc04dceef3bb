using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Customers.Notes;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Console.Tests.Http;

/// <summary>The customer page opens on its timeline beside the support notes, rendered by the server.</summary>
public sealed class CustomerTimelinePageTests : IDisposable
{
    private readonly ConsoleAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task The_customer_page_opens_on_the_timeline_with_the_notes_and_only_support_and_up_may_write()
    {
        var note = await _app.RunAsAdminAsync<AddCustomerNote, AddCustomerNote.Request, CustomerNoteView>(new("cus_acme", "Prefers email over phone."));
        Assert.True(note.Succeeded, note.Message);
        Guid customerId;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            customerId = (await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().Customers.FirstAsync(c => c.ExternalId == "cus_acme")).Id;
        }

        using var viewer = await _app.SignedInMemberAsync("timeline-viewer@example.test", ProjectRole.Viewer);
        using var support = await _app.SignedInMemberAsync("timeline-support@example.test", ProjectRole.Support);
        var asViewer = await viewer.GetStringAsync(new Uri($"/customers/{customerId}", UriKind.Relative));
        var asSupport = await support.GetStringAsync(new Uri($"/customers/{customerId}", UriKind.Relative));

        Assert.Contains("data-testid=\"customer-timeline\"", asViewer, StringComparison.Ordinal);
        Assert.Contains("Note: Prefers email over phone.", asViewer, StringComparison.Ordinal);
        Assert.Contains("Customer Acme Analytics created", asViewer, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"note-text\"", asViewer, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"note-add\"", asViewer, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"note-add\"", asSupport, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"global-search\"", asSupport, StringComparison.Ordinal);
    }
}

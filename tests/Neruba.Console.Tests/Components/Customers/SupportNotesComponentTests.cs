using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Neruba.Console.Components.Layout;
using Neruba.Console.Components.Pages.Customers;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Customers.Notes;
using Neruba.Infrastructure.Customers.Timeline;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.Search;

namespace Neruba.Console.Tests.Components.Customers;

/// <summary>One running app (the demo project) with a Support member and a Viewer.</summary>
public sealed class SupportNotesFixture : IAsyncLifetime
{
    public ConsoleAppFactory App { get; } = new();
    public string SupportId { get; private set; } = "";
    public string ViewerId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        SupportId = await App.CreateMemberAsync("notes-support@example.test", ProjectRole.Support);
        ViewerId = await App.CreateMemberAsync("notes-viewer@example.test", ProjectRole.Viewer);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The notes panel, the timeline beside it and the app bar's search, against the running app's database.</summary>
public sealed class SupportNotesComponentTests(SupportNotesFixture fixture) : AppSessionTestContext(fixture.App), IClassFixture<SupportNotesFixture>
{
    private static readonly Type[] UseCases =
        [typeof(ListCustomerNotes), typeof(AddCustomerNote), typeof(ReplaceCustomerNote), typeof(GetCustomerTimeline), typeof(SearchEverything)];

    [Fact]
    public async Task Support_adds_a_note_edits_it_and_sees_edited_with_the_history_and_a_failed_save_keeps_the_text()
    {
        await SignInAsync(fixture.SupportId, UseCases);
        var panel = RenderWithAccess<CustomerNotesPanel>(p => p.Add(x => x.CustomerExternalId, "cus_globex").Add(x => x.CanWrite, true));

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=notes-empty]")));
        panel.Find("[data-testid=note-add]").Click();
        panel.WaitForAssertion(() => Assert.Contains("The note is required.", panel.Markup, StringComparison.Ordinal));

        panel.Find("textarea[data-testid=note-new]").Input("Asked for invoices by post.");
        panel.Find("[data-testid=note-add]").Click();
        panel.WaitForAssertion(() => Assert.Equal("Asked for invoices by post.", panel.Find("[data-testid=note-text]").TextContent));
        Assert.Equal("", panel.Find("textarea[data-testid=note-new]").GetAttribute("value") ?? "");

        panel.Find("[data-testid=note-edit]").Click();
        panel.Find("textarea[data-testid=note-edit-text]").Input("Asked for invoices by post and by email.");
        panel.Find("[data-testid=note-save]").Click();
        panel.WaitForAssertion(() => Assert.Equal("Asked for invoices by post and by email.", panel.Find("[data-testid=note-text]").TextContent));
        Assert.Single(panel.FindAll("[data-testid=note-edited]"));
        Assert.Contains("Asked for invoices by post.", panel.Find("[data-testid=note-history]").TextContent, StringComparison.Ordinal);

        // Someone else edits the same note meanwhile: this agent's save fails in words and the typed text stays in the box.
        panel.Find("[data-testid=note-edit]").Click();
        panel.Find("textarea[data-testid=note-edit-text]").Change("My later edit");
        var current = await CurrentNoteIdAsync("cus_globex");
        await fixture.App.RunAsAdminAsync<ReplaceCustomerNote, ReplaceCustomerNote.Request, CustomerNoteView>(new(current, "The admin's edit"));
        panel.Find("[data-testid=note-save]").Click();
        panel.WaitForAssertion(() => Assert.Contains(ReplaceCustomerNote.ChangedMeanwhile, panel.Markup, StringComparison.Ordinal));
        Assert.Equal("My later edit", panel.Find("textarea[data-testid=note-edit-text]").GetAttribute("value"));
    }

    [Fact]
    public async Task A_viewer_reads_notes_and_the_timeline_without_write_controls()
    {
        await fixture.App.RunAsAdminAsync<AddCustomerNote, AddCustomerNote.Request, CustomerNoteView>(new("cus_initech", "VIP: call before dunning."));
        await SignInAsync(fixture.ViewerId, UseCases);

        var panel = RenderWithAccess<CustomerNotesPanel>(p => p.Add(x => x.CustomerExternalId, "cus_initech").Add(x => x.CanWrite, false));
        var timeline = RenderWithAccess<CustomerTimelinePanel>(p => p.Add(x => x.CustomerExternalId, "cus_initech"));

        panel.WaitForAssertion(() => Assert.Equal("VIP: call before dunning.", panel.Find("[data-testid=note-text]").TextContent));
        Assert.Empty(panel.FindAll("[data-testid=note-add]"));
        Assert.Empty(panel.FindAll("[data-testid=note-edit]"));
        timeline.WaitForAssertion(() => Assert.NotEmpty(timeline.FindAll("[data-testid=timeline-item]")));
        var kinds = timeline.FindAll("[data-testid=timeline-item]").Select(i => i.GetAttribute("data-kind")).ToList();
        Assert.Equal(nameof(TimelineKind.Note), kinds[0]);
        Assert.Equal(nameof(TimelineKind.CustomerCreated), kinds[^1]);
        Assert.Contains("VIP: call before dunning.", timeline.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_search_box_shows_hits_as_you_type_and_a_pick_opens_the_page()
    {
        await SignInAsync(fixture.ViewerId, UseCases);
        var popovers = Popovers;
        var search = RenderWithAccess<GlobalSearch>(_ => { });

        search.Find("input").Input("hooli");
        popovers.WaitForAssertion(() => Assert.Single(popovers.FindAll(".mud-popover-open [data-testid=search-hit]")), TimeSpan.FromSeconds(10));
        Assert.Contains("Hooli Cloud", popovers.Find("[data-testid=search-hit]").TextContent, StringComparison.Ordinal);
        await popovers.Find(".mud-popover-open .mud-list-item").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        Assert.Matches("/customers/[0-9a-f-]+$", navigation.Uri);
    }

    private async Task<Guid> CurrentNoteIdAsync(string customer)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        var notes = await db.CustomerNotes.AsNoTracking().Where(n => db.Customers.Any(c => c.Id == n.CustomerId && c.ExternalId == customer)).ToListAsync();
        return notes.Single(n => !notes.Any(o => o.ReplacesNoteId == n.Id)).Id;
    }
}

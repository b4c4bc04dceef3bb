using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Customers.Notes;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.Customers;

/// <summary>Support notes: append-only, an edit replaces the newest version once, other projects' notes do not exist.</summary>
public class CustomerNoteTests
{
    private static Task<UseCaseResult<CustomerNoteView>> Add(UseCaseHarness harness, Actor actor, string? text, string customer = "cus_acme") =>
        harness.RunAsync<AddCustomerNote, AddCustomerNote.Request, CustomerNoteView>(actor, new(customer, text));

    private static Task<UseCaseResult<CustomerNoteView>> Replace(UseCaseHarness harness, Actor actor, Guid noteId, string? text) =>
        harness.RunAsync<ReplaceCustomerNote, ReplaceCustomerNote.Request, CustomerNoteView>(actor, new(noteId, text));

    private static Task<IReadOnlyList<CustomerNoteChain>> List(UseCaseHarness harness, Actor actor, string customer = "cus_acme") =>
        harness.ValueAsync<ListCustomerNotes, ListCustomerNotes.Request, IReadOnlyList<CustomerNoteChain>>(new(customer), actor);

    [Fact]
    public async Task Support_adds_and_edits_a_note_the_list_shows_the_newest_version_with_its_history_and_both_are_audited()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var support = await harness.AddPersonAsync("support@example.test", ProjectRole.Support);

        var first = await Add(harness, support, "  Called about the March invoice.  ");
        Assert.True(first.Succeeded, first.Message);
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await Replace(harness, support, first.Value!.Id, "Called about the March invoice; promised a credit.");
        Assert.True(second.Succeeded, second.Message);
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var third = await Replace(harness, harness.Admin, second.Value!.Id, "Credit granted.");
        Assert.True(third.Succeeded, third.Message);

        var chain = Assert.Single(await List(harness, support));
        Assert.Equal(("Credit granted.", "admin@example.test", true), (chain.Current.Text, chain.Current.AuthorName, chain.Edited));
        Assert.Equal(["Called about the March invoice; promised a credit.", "Called about the March invoice."], chain.History.Select(h => h.Text));
        Assert.Equal(first.Value.CreatedAt, chain.FirstWrittenAt);
        var stale = await Replace(harness, support, first.Value.Id, "An edit of an old version");
        Assert.Equal((UseCaseStatus.Conflict, ReplaceCustomerNote.ChangedMeanwhile), (stale.Status, stale.Message));
        Assert.Equal((1, 2), await harness.QueryAsync(async db => (await db.AuditEntries.CountAsync(a => a.Action == "customer.note_added"),
            await db.AuditEntries.CountAsync(a => a.Action == "customer.note_replaced"))));
        Assert.Equal(3, await harness.QueryAsync(db => db.CustomerNotes.CountAsync()));
    }

    [Fact]
    public async Task Two_agents_editing_one_note_at_once_one_wins_the_other_is_told_in_words_and_nothing_is_lost()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var anna = await harness.AddPersonAsync("anna@example.test", ProjectRole.Support);
        var ben = await harness.AddPersonAsync("ben@example.test", ProjectRole.Support);
        var note = (await Add(harness, anna, "Original")).Value!;

        var results = await Task.WhenAll(Replace(harness, anna, note.Id, "Anna's edit"), Replace(harness, ben, note.Id, "Ben's edit"));

        Assert.Single(results, r => r.Succeeded);
        var loser = Assert.Single(results, r => !r.Succeeded);
        Assert.Equal((UseCaseStatus.Conflict, ReplaceCustomerNote.ChangedMeanwhile), (loser.Status, loser.Message));
        var chain = Assert.Single(await List(harness, anna));
        Assert.Equal("Original", Assert.Single(chain.History).Text);
        Assert.Equal(2, await harness.QueryAsync(db => db.CustomerNotes.CountAsync()));
    }

    [Fact]
    public async Task Empty_or_too_long_text_is_refused_in_words_and_a_viewer_may_read_but_not_write()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var viewer = await harness.AddPersonAsync("viewer@example.test", ProjectRole.Viewer);
        var note = (await Add(harness, harness.Admin, "Kept")).Value!;

        var empty = await Add(harness, harness.Admin, "   ");
        var tooLong = await Add(harness, harness.Admin, new string('x', CustomerNoteRecord.MaxTextLength + 1));
        var byViewer = await Add(harness, viewer, "Viewer's note");
        var editByViewer = await Replace(harness, viewer, note.Id, "Viewer's edit");

        Assert.Equal((UseCaseStatus.Invalid, "The note is required."), (empty.Status, empty.Message));
        Assert.Equal(UseCaseStatus.Invalid, tooLong.Status);
        Assert.Contains("at most 4000", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(UseCaseStatus.Forbidden, byViewer.Status);
        Assert.Equal(UseCaseStatus.Forbidden, editByViewer.Status);
        Assert.Equal("Kept", Assert.Single(await List(harness, viewer)).Current.Text);
        Assert.True((await Add(harness, harness.Admin, new string('x', CustomerNoteRecord.MaxTextLength))).Succeeded);
    }

    [Fact]
    public async Task Another_projects_note_and_customer_are_not_found()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var note = (await Add(harness, harness.Admin, "Ours")).Value!;
        var elsewhere = await harness.AdminOfAnotherProjectAsync();

        var edit = await Replace(harness, elsewhere, note.Id, "Theirs");
        var add = await Add(harness, elsewhere, "Theirs", note.CustomerId.ToString());
        var list = await harness.RunAsync<ListCustomerNotes, ListCustomerNotes.Request, IReadOnlyList<CustomerNoteChain>>(elsewhere,
            new(note.CustomerId.ToString()));

        Assert.Equal((UseCaseStatus.NotFound, UseCaseStatus.NotFound, UseCaseStatus.NotFound), (edit.Status, add.Status, list.Status));
        Assert.Equal("Ours", Assert.Single(await List(harness, harness.Admin)).Current.Text);
    }
}

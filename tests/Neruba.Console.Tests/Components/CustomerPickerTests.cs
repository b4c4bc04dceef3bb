using Bunit;
using MudBlazor;
using Neruba.Console.Components.Pages.Customers;
using Neruba.Infrastructure.Customers;

namespace Neruba.Console.Tests.Components;

public class CustomerPickerTests : MudTestContext
{
    [Fact]
    public async Task A_search_that_answers_after_the_pick_leaves_the_list_closed_and_the_page_clickable()
    {
        var acme = Customer("cus_acme", "Acme Analytics");
        var searches = new List<(string? Text, TaskCompletionSource<IEnumerable<CustomerView>> Answer)>();
        CustomerView? picked = null;
        var popovers = Render<MudPopoverProvider>();
        var picker = Render<CustomerPicker>(p => p
            .Add(c => c.Search, (text, _) =>
            {
                var answer = new TaskCompletionSource<IEnumerable<CustomerView>>();
                searches.Add((text, answer));
                return answer.Task;
            })
            .Add(c => c.ValueChanged, customer => picked = customer));

        // A person clicks into the box (a search for everything starts and is slow), then types "Acme".
        // (The click's handler runs until its search answers, so it is awaited at the end.)
        var clickedIn = picker.Find(".mud-input-control").TriggerEventAsync("onmousedown", new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        picker.Find("input").Input("Acme");
        picker.WaitForAssertion(() => Assert.Equal(2, searches.Count), TimeSpan.FromSeconds(10));
        Assert.Equal([string.Empty, "Acme"], searches.Select(s => s.Text ?? string.Empty));

        // "Acme" answers first and is picked; then the first search answers.
        await picker.InvokeAsync(() => searches[1].Answer.SetResult([acme]));
        popovers.WaitForAssertion(() => Assert.Single(popovers.FindAll(".mud-popover-open .mud-list-item")));
        await popovers.Find(".mud-popover-open .mud-list-item").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        await picker.InvokeAsync(() => searches[0].Answer.SetResult([acme, Customer("cus_globex", "Globex")]));
        await clickedIn;

        Assert.Equal(acme, picked);
        popovers.WaitForAssertion(() => Assert.Empty(popovers.FindAll(".mud-popover-open")));
        Assert.False(picker.FindComponent<MudOverlay>().Instance.Visible, "no overlay is left over the page");
    }

    private static CustomerView Customer(string externalId, string name) =>
        new(Guid.NewGuid(), externalId, name, null, "USD", "UTC", new Dictionary<string, string>(), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}

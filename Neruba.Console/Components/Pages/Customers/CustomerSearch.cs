using Neruba.Console.Access;
using Neruba.Infrastructure.Customers;

namespace Neruba.Console.Components.Pages.Customers;

/// <summary>What a <see cref="CustomerPicker"/> searches on a page: the project's customers by name, external id or email, the first 20.</summary>
public static class CustomerSearch
{
    public static Func<string?, CancellationToken, Task<IEnumerable<CustomerView>>> Of(ConsoleSession session, ListCustomers listCustomers) =>
        async (text, cancellationToken) =>
        {
            var result = await session.RunAsync(listCustomers, new ListCustomers.Request(text, 0, 20), cancellationToken);
            return result.Succeeded ? result.Value!.Items : [];
        };
}

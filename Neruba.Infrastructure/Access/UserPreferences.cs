using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Access;

/// <summary>Small per-person console settings that are not about access.</summary>
public sealed class UserPreferences(IDbContextFactory<NerubaDbContext> dbFactory)
{
    public async Task<bool> PrefersDarkModeAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.PrefersDarkMode).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task SetDarkModeAsync(string userId, bool darkMode, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.PrefersDarkMode, darkMode), cancellationToken);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Neruba.Infrastructure.Persistence;

// Used only by `dotnet ef migrations add`: each provider's migrations are generated from its own context.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteNerubaDbContext>
{
    public SqliteNerubaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteNerubaDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerNerubaDbContext>
{
    public SqlServerNerubaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerNerubaDbContext>()
            .UseSqlServer("Server=localhost;Database=NerubaDesignTime;Trusted_Connection=True;TrustServerCertificate=True")
            .Options);
}

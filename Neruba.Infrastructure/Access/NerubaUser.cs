using Microsoft.AspNetCore.Identity;

namespace Neruba.Infrastructure.Access;

/// <summary>A console user. Which projects they may act in is held by project memberships, not Identity roles.</summary>
public sealed class NerubaUser : IdentityUser
{
    /// <summary>The project the person last switched to; the console opens it next time.</summary>
    public Guid? CurrentProjectId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

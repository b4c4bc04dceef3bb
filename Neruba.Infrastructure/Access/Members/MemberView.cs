using Neruba.Domain.Access;

namespace Neruba.Infrastructure.Access.Members;

public sealed record MemberView(Guid MembershipId, string UserId, string Email, ProjectRole Role, DateTimeOffset Since);

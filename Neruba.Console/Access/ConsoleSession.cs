using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Access;

/// <summary>
/// The signed-in person in the console and the project this tab shows (<see cref="ProjectInView"/>). Pages run use cases through it;
/// the runner re-checks the person's role in the database on every action, whatever the page showed.
/// </summary>
public sealed class ConsoleSession(AuthenticationStateProvider authentication, ProjectInView projectInView, UseCaseRunner runner)
{
    public async Task<Actor?> GetActorAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return null;
        }

        var access = await projectInView.GetAccessAsync(userId);
        return access.Current is { } current && !access.MustChangePassword ? Actor.Person(userId, user.Identity?.Name ?? userId, current.ProjectId) : null;
    }

    public async Task<UseCaseResult<TResult>> RunAsync<TRequest, TResult>(UseCase<TRequest, TResult> useCase, TRequest request, CancellationToken cancellationToken = default)
    {
        var actor = await GetActorAsync();
        return actor is null
            ? UseCaseResult<TResult>.Forbidden("You are not signed in to a project.")
            : await runner.RunAsync(useCase, actor, request, cancellationToken);
    }
}

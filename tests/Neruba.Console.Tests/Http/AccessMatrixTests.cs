using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Console.Access;
using Neruba.Console.Api;
using Neruba.Console.Tests.Support;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.SystemAdmins;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Tests.Http;

/// <summary>
/// Walks every role against every page, every use case and every API endpoint. A new page, use case or
/// endpoint without an access rule fails here, and so does a rule that lets the wrong role through.
/// </summary>
public sealed class AccessMatrixTests : IDisposable
{
    // Pages open to anyone signed in, whatever their role: the place a refused page sends people.
    // Changing one's own password needs no project either.
    private static readonly string[] SignedInOnlyPages = ["/account/access-denied", "/account/change-password"];

    // The walk sends many deliberately refused requests from one client; lift the refusal limit for it.
    private readonly ConsoleAppFactory _app = new(settings: new Dictionary<string, string> { [ApiFailureLimiter.SettingKey] = "10000" });

    public void Dispose() => _app.Dispose();

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var (template, _) in RoutablePages())
        {
            data.Add(template);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_page_declares_who_may_open_it(string template)
    {
        var page = RoutablePages().Single(p => p.Template == template).Type;
        var anonymous = page.GetCustomAttribute<AllowAnonymousAttribute>() is not null;
        var policy = page.GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy).FirstOrDefault(p => p is not null);

        Assert.True(anonymous || policy is not null || SignedInOnlyPages.Contains(template),
            $"{page.Name} ({template}) has neither [AllowAnonymous] nor [Authorize(Policy = PermissionPolicies.…)].");
        if (policy is not null)
        {
            Assert.True(policy == SystemAdminPolicy.Name || Enum.TryParse<Permission>(policy, out _), $"{page.Name} names the unknown policy '{policy}'.");
        }
    }

    [Fact]
    public async Task Every_role_opens_exactly_the_pages_its_permissions_allow()
    {
        var customerId = await DemoCustomerIdAsync();
        var protectedPages = RoutablePages()
            .Select(p => (p.Template, Policy: p.Type.GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy).FirstOrDefault(x => x is not null)))
            .Where(p => p.Policy is not null)
            .ToList();
        Assert.NotEmpty(protectedPages);

        foreach (var role in Enum.GetValues<ProjectRole>())
        {
            using var client = await _app.SignedInMemberAsync($"page-{role.ToString().ToLowerInvariant()}@example.test", role);
            foreach (var (template, policy) in protectedPages)
            {
                var path = template.Replace("{Id:guid}", customerId.ToString(), StringComparison.Ordinal);
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                // No project role makes anyone a system administrator.
                var allowed = policy != SystemAdminPolicy.Name && RolePermissions.Allows(role, Enum.Parse<Permission>(policy!));
                if (allowed)
                {
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} should open {path} but got {(int)response.StatusCode}.");
                }
                else
                {
                    Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/account/access-denied", StringComparison.Ordinal),
                        $"{role} should be refused {path} but got {(int)response.StatusCode} {response.Headers.Location}.");
                }
            }
        }
    }

    [Fact]
    public async Task Every_use_case_refuses_roles_without_its_permission_and_audits_the_refusal()
    {
        var projectId = await _app.DemoProjectIdAsync();
        var actors = new Dictionary<ProjectRole, Actor>();
        foreach (var role in Enum.GetValues<ProjectRole>())
        {
            var email = $"uc-{role.ToString().ToLowerInvariant()}@example.test";
            actors[role] = Actor.Person(await _app.CreateMemberAsync(email, role), email, projectId);
        }

        var expectedDenials = 0;
        foreach (var useCaseType in UseCaseTypes())
        {
            foreach (var (role, actor) in actors)
            {
                var (status, rule) = await RunUninitializedAsync(useCaseType, actor);
                var allowed = !typeof(ISystemAdminUseCase).IsAssignableFrom(useCaseType) && RolePermissions.Allows(role, rule.Permission);
                Assert.True(allowed == (status != UseCaseStatus.Forbidden), $"{useCaseType.Name} as {role}: {status}.");
                expectedDenials += allowed ? 0 : 1;
            }
        }

        await using var scope = _app.Services.CreateAsyncScope();
        var denials = await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().AuditEntries.CountAsync(a => a.Action == "access.denied");
        Assert.Equal(expectedDenials, denials);
    }

    [Theory]
    [InlineData(ProjectRole.Admin)]
    [InlineData(ProjectRole.Operator)]
    public async Task A_project_admin_or_operator_who_is_not_a_system_admin_is_refused_the_job_dashboard_and_its_sub_paths(ProjectRole role)
    {
        using var client = await _app.SignedInMemberAsync($"jobs-{role.ToString().ToLowerInvariant()}@example.test", role);

        foreach (var (method, path) in JobDashboardRequests)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (method == HttpMethod.Post)
            {
                request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "credit-expiry" });
            }

            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/account/access-denied", StringComparison.Ordinal),
                $"{role} should be refused {method} {path} but got {(int)response.StatusCode} {response.Headers.Location}.");
        }

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "access.denied" && a.TargetId == "/jobs/recurring/trigger"));
    }

    [Fact]
    public async Task The_system_admin_opens_the_job_dashboard_and_its_sub_paths()
    {
        using var client = _app.CreateBrowserClient();
        await client.SignInAsync(ConsoleAppFactory.AdminEmail, ConsoleAppFactory.AdminPassword);

        foreach (var (_, path) in JobDashboardRequests.Where(r => r.Method == HttpMethod.Get))
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"The system admin should open {path} but got {(int)response.StatusCode} {response.Headers.Location}.");
        }
    }

    private static readonly (HttpMethod Method, string Path)[] JobDashboardRequests =
    [
        (HttpMethod.Get, "/jobs"),
        (HttpMethod.Get, "/jobs/recurring"),
        (HttpMethod.Get, "/jobs/jobs/enqueued"),
        (HttpMethod.Get, "/jobs/servers"),
        (HttpMethod.Post, "/jobs/recurring/trigger"),
    ];

    [Fact]
    public async Task Every_use_case_is_open_to_api_keys_only_with_its_scope()
    {
        var projectId = await _app.DemoProjectIdAsync();
        foreach (var useCaseType in UseCaseTypes())
        {
            var rule = ((IUseCase)_app.Services.CreateScope().ServiceProvider.GetRequiredService(useCaseType)).Access;
            var everyOtherScope = Actor.Key(Guid.NewGuid(), "other scopes", projectId, ApiScopes.All.Where(s => s != rule.ApiScope));
            Assert.Equal(UseCaseStatus.Forbidden, (await RunUninitializedAsync(useCaseType, everyOtherScope)).Status);
            if (rule.ApiScope is { } scope)
            {
                var withScope = Actor.Key(Guid.NewGuid(), "right scope", projectId, [scope]);
                Assert.NotEqual(UseCaseStatus.Forbidden, (await RunUninitializedAsync(useCaseType, withScope)).Status);
            }
        }
    }

    [Fact]
    public async Task Every_api_endpoint_requires_exactly_its_scope()
    {
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(endpoints);

        var keys = new Dictionary<string, HttpClient>();
        foreach (var scope in ApiScopes.All)
        {
            keys[scope] = _app.CreateApiClient(await _app.CreateApiKeyAsync(null, scope));
        }

        foreach (var endpoint in endpoints)
        {
            var required = endpoint.Metadata.GetMetadata<ApiScopeMetadata>()?.Scope;
            Assert.True(required is not null, $"{endpoint.DisplayName} has no .RequireScope(…).");
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single();
            var path = endpoint.RoutePattern.RawText!.Replace("{id}", "cus_acme", StringComparison.Ordinal);
            foreach (var (scope, client) in keys)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
                if (method is "POST" or "PUT")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }

                using var response = await client.SendAsync(request);
                if (scope == required)
                {
                    Assert.True(response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized), $"{method} {path} refused its own scope {scope}.");
                }
                else
                {
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} with {scope} gave {(int)response.StatusCode}, not 403.");
                }
            }
        }

        foreach (var client in keys.Values)
        {
            client.Dispose();
        }
    }

    private static IEnumerable<(string Template, Type Type)> RoutablePages() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (r.Template, t)));

    private static IEnumerable<Type> UseCaseTypes() =>
        typeof(IUseCase).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IUseCase).IsAssignableFrom(t));

    /// <summary>Runs a use case with an empty request: enough to see whether access is granted, as access is checked first.</summary>
    private async Task<(UseCaseStatus Status, AccessRule Rule)> RunUninitializedAsync(Type useCaseType, Actor actor)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var useCase = scope.ServiceProvider.GetRequiredService(useCaseType);
        var generic = useCaseType.BaseType!;
        var (requestType, resultType) = (generic.GetGenericArguments()[0], generic.GetGenericArguments()[1]);
        var request = RuntimeHelpers.GetUninitializedObject(requestType);
        var run = typeof(UseCaseRunner).GetMethod(nameof(UseCaseRunner.RunAsync))!.MakeGenericMethod(requestType, resultType);
        var task = (Task)run.Invoke(scope.ServiceProvider.GetRequiredService<UseCaseRunner>(), [useCase, actor, request, CancellationToken.None])!;
        await task;
        var result = task.GetType().GetProperty("Result")!.GetValue(task)!;
        return ((UseCaseStatus)result.GetType().GetProperty("Status")!.GetValue(result)!, ((IUseCase)useCase).Access);
    }

    private async Task<Guid> DemoCustomerIdAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<NerubaDbContext>().Customers.FirstAsync(c => c.ExternalId == "cus_acme")).Id;
    }
}

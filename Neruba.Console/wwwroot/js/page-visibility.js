// Tells a .NET listener whether this tab is visible, now and on every change, so pages poll the database only while someone can see them.
export function watch(listener) {
    const report = () => listener.invokeMethodAsync("SetVisible", document.visibilityState === "visible");
    document.addEventListener("visibilitychange", report);
    report();
    return { stop: () => document.removeEventListener("visibilitychange", report) };
}

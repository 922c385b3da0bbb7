using System.Text;

namespace ComponentCatalog.Cli;

/// <summary>A Markdown file read from disk: its path as shown (relative to the working directory, '/' separated) and its text.</summary>
internal sealed record SourceFile(string Path, string Text);

/// <summary>
/// The Markdown files the paths on the command line name: files as given, folders walked for <c>*.md</c>
/// (hidden folders, <c>node_modules</c>, <c>bin</c> and <c>obj</c> skipped), in ordinal order. Every problem —
/// a missing path, a folder without Markdown, a symbolic-link loop, a file that is too large or not UTF-8 —
/// is one line naming the path, and nothing is read further when there is one.
/// </summary>
internal static class MarkdownSources
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "node_modules", "bin", "obj" };

    public static IReadOnlyList<SourceFile> Read(IReadOnlyList<string> paths, string workingDirectory, long maxBytes)
    {
        var problems = new List<string>();
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, workingDirectory);
            var found = new List<string>();
            if (LinkProblem(new FileInfo(full), path) is { } linkProblem)
            {
                problems.Add(linkProblem);
            }
            else if (Directory.Exists(full))
            {
                Walk(full, Show(full), [Real(new DirectoryInfo(full))], found, problems);
                if (found.Count == 0 && problems.Count == 0)
                {
                    problems.Add($"{path}: no Markdown files (*.md) in this folder.");
                }
            }
            else if (File.Exists(full))
            {
                found.Add(full);
            }
            else
            {
                problems.Add($"{path}: no such file or folder.");
            }
            foreach (var file in found)
            {
                files.TryAdd(Show(file), file);
            }
        }
        if (problems.Count > 0)
        {
            throw new CliException(string.Join(Environment.NewLine, problems));
        }

        var sources = new List<SourceFile>(files.Count);
        foreach (var (shown, full) in files)
        {
            if (Load(shown, full, maxBytes, problems) is { } text)
            {
                sources.Add(new SourceFile(shown, text));
            }
        }
        return problems.Count > 0 ? throw new CliException(string.Join(Environment.NewLine, problems)) : sources;

        string Show(string full)
        {
            var relative = Path.GetRelativePath(workingDirectory, full);
            return (relative.StartsWith("..", StringComparison.Ordinal) ? full : relative).Replace('\\', '/');
        }
    }

    private static void Walk(string folder, string shown, List<string> ancestors, List<string> found, List<string> problems)
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{shown}: {e.Message}");
            return;
        }

        foreach (var entry in entries)
        {
            var entryShown = shown == "." ? entry.Name : $"{shown}/{entry.Name}";
            if (entry.LinkTarget is not null)
            {
                if (LinkProblem(entry, entryShown) is { } problem)
                {
                    problems.Add(problem);
                    continue;
                }
                if (entry.ResolveLinkTarget(returnFinalTarget: true) is DirectoryInfo linked)
                {
                    var real = Real(linked);
                    if (ancestors.Contains(real, StringComparer.Ordinal))
                    {
                        problems.Add($"{entryShown}: symbolic link loop (points back to {real}).");
                        continue;
                    }
                    if (!Skipped(entry.Name))
                    {
                        Walk(real, entryShown, [.. ancestors, real], found, problems);
                    }
                    continue;
                }
            }

            if (entry is DirectoryInfo directory)
            {
                if (!Skipped(entry.Name))
                {
                    Walk(directory.FullName, entryShown, [.. ancestors, Path.Combine(ancestors[^1], entry.Name)], found, problems);
                }
            }
            else if (entry.Name.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                found.Add(entry.FullName);
            }
        }
    }

    private static bool Skipped(string folder) => folder.StartsWith('.') || SkippedFolders.Contains(folder);

    /// <summary>The folder's path with symbolic links resolved (the folder itself, when it is one).</summary>
    private static string Real(DirectoryInfo folder) =>
        Path.TrimEndingDirectorySeparator(folder.LinkTarget is null ? folder.FullName : folder.ResolveLinkTarget(true)?.FullName ?? folder.FullName);

    /// <summary>A symbolic link that loops or leads nowhere, as one line; null for anything else.</summary>
    private static string? LinkProblem(FileSystemInfo entry, string shown)
    {
        if (entry.LinkTarget is null)
        {
            return null;
        }
        try
        {
            return entry.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true } ? null : $"{shown}: broken symbolic link to {entry.LinkTarget}.";
        }
        catch (IOException)
        {
            return $"{shown}: symbolic link loop ({entry.LinkTarget} never reaches a file).";
        }
    }

    private static string? Load(string shown, string full, long maxBytes, List<string> problems)
    {
        var start = 0;
        try
        {
            var length = new FileInfo(full).Length;
            if (length > maxBytes)
            {
                problems.Add($"{shown}: {length:N0} bytes; the catalog takes documents of up to {maxBytes:N0} bytes.");
                return null;
            }
            var bytes = File.ReadAllBytes(full);
            start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            var at = e.Index >= 0 ? $" (byte 0x{e.BytesUnknown?.FirstOrDefault():X2} at offset {e.Index + start})" : string.Empty;
            problems.Add($"{shown}: not UTF-8{at}; save it as UTF-8.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{shown}: {e.Message}");
        }
        return null;
    }
}

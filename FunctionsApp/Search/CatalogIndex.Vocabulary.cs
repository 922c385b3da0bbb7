namespace ComponentCatalog.Search;

internal sealed partial class CatalogIndex
{
    /// <summary>
    /// Every word ever indexed, in ordinal order (words are never taken out; a word whose documents are all gone has a
    /// frequency of 0): prefix completion of the last query word, typo candidates. The words of a restore or of a full
    /// load are one sorted array (8 bytes a word); words added since are a sorted set (a 48-byte node a word) until
    /// <see cref="Seal"/> merges them in. At 300,000 words that is 12 MiB less than a sorted set of all
    /// (docs/adr/0071-index-memory-and-snapshot.md, revision 4).
    /// </summary>
    private sealed class Vocabulary
    {
        private string[] _sorted;
        private readonly SortedSet<string> _added = new(StringComparer.Ordinal);

        public Vocabulary(IEnumerable<string>? words = null)
        {
            _sorted = words?.ToArray() ?? [];
            Array.Sort(_sorted, StringComparer.Ordinal);
        }

        public int Count => _sorted.Length + _added.Count;

        /// <summary>Every word, in no particular order.</summary>
        public IEnumerable<string> All => _sorted.Concat(_added);

        /// <summary>Adds a word not yet in the vocabulary.</summary>
        public void Add(string word) => _added.Add(word);

        /// <summary>Merges the words added since into the sorted array (after a full load).</summary>
        public void Seal()
        {
            if (_added.Count == 0) return;
            _sorted = [.. Merge(_sorted, _added)];
            _added.Clear();
        }

        /// <summary>The words that begin with <paramref name="prefix"/>, in ordinal order.</summary>
        public IEnumerable<string> StartingWith(string prefix)
        {
            var first = Array.BinarySearch(_sorted, prefix, StringComparer.Ordinal);
            var restored = _sorted.Skip(first < 0 ? ~first : first);
            var added = _added.Count == 0 || string.CompareOrdinal(prefix, _added.Max) > 0 ? [] : _added.GetViewBetween(prefix, _added.Max!);
            return Merge(restored, added).TakeWhile(w => w.StartsWith(prefix, StringComparison.Ordinal));
        }

        private static IEnumerable<string> Merge(IEnumerable<string> a, IEnumerable<string> b)
        {
            using var left = a.GetEnumerator();
            using var right = b.GetEnumerator();
            var hasLeft = left.MoveNext();
            var hasRight = right.MoveNext();
            while (hasLeft || hasRight)
            {
                if (hasLeft && (!hasRight || string.CompareOrdinal(left.Current, right.Current) < 0))
                {
                    yield return left.Current;
                    hasLeft = left.MoveNext();
                }
                else
                {
                    yield return right.Current;
                    hasRight = right.MoveNext();
                }
            }
        }
    }
}

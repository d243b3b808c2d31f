package io.crvecdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;

import io.crvecdb.springai.CrvecdbVectorStore;
import io.crvecdb.springai.HashingEmbeddingModel;
import io.crvecdb.storage.StoreIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An add whose fsync fails (EIO, or ENOSPC at fsync) leaves its batch in the index, where searches
 * find it until a restart: filters and delete-by-filter must then see the metadata of what the
 * index holds. In package {@code io.crvecdb} to give the index a failing file system.
 */
class FailedAddMetadataTest {

    @TempDir
    Path dir;

    @Test
    void afterAFailedAddFiltersStillAgreeWithTheDocumentsTheStoreReturns() {
        ArmedIO io = new ArmedIO();
        VectorIndex.Builder builder = VectorIndex.builder().dimensions(16).storage(this.dir.resolve("store"));
        builder.io = io;
        VectorIndex index = builder.build();
        CrvecdbVectorStore store = CrvecdbVectorStore.builder(new HashingEmbeddingModel(16)).index(index).build();
        try {
            store.add(List.of(new Document("u", "upserted text", Map.of("tag", "old"))));

            io.failForce = true; // the next fsync fails, as on EIO or a full disk
            assertThatThrownBy(() -> store.add(List.of(new Document("u", "upserted text", Map.of("tag", "new")),
                    new Document("n", "brand new text", Map.of("tag", "new")))))
                .isInstanceOf(UncheckedIOException.class);

            // The index kept the failed batch, and unfiltered searches return it:
            assertThat(index.contains("n")).isTrue();
            List<Document> unfiltered = store.similaritySearch(
                    SearchRequest.builder().query("upserted text").topK(1).build());
            assertThat(unfiltered).extracting(Document::getId).containsExactly("u");
            assertThat(unfiltered.getFirst().getMetadata()).containsEntry("tag", "new");

            // ...so filters agree with the documents the store returns.
            assertThat(store.similaritySearch(SearchRequest.builder().query("upserted text").topK(10)
                .filterExpression("tag == 'old'").build())).isEmpty();
            assertThat(store.similaritySearch(SearchRequest.builder().query("upserted text").topK(10)
                .filterExpression("tag == 'new'").build())).extracting(Document::getId).containsExactlyInAnyOrder("u", "n");
        }
        finally {
            io.failForce = false;
            store.close();
            index.close();
        }
    }

    /** The real file system, except that fsyncs fail while {@link #failForce} is set. */
    static final class ArmedIO implements StoreIO {

        volatile boolean failForce;

        @Override
        public FileChannel open(Path file, OpenOption... options) throws IOException {
            return new Channel(FileChannel.open(file, options));
        }

        private final class Channel extends FileChannel {

            private final FileChannel delegate;

            Channel(FileChannel delegate) {
                this.delegate = delegate;
            }

            @Override
            public void force(boolean metaData) throws IOException {
                if (ArmedIO.this.failForce) {
                    throw new IOException("injected fsync failure");
                }
                this.delegate.force(metaData);
            }

            @Override
            public int write(ByteBuffer source) throws IOException {
                return this.delegate.write(source);
            }

            @Override
            public int write(ByteBuffer source, long position) throws IOException {
                return this.delegate.write(source, position);
            }

            @Override
            public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
                return this.delegate.write(sources, offset, length);
            }

            @Override
            public FileChannel truncate(long size) throws IOException {
                this.delegate.truncate(size);
                return this;
            }

            @Override
            public int read(ByteBuffer destination) throws IOException {
                return this.delegate.read(destination);
            }

            @Override
            public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
                return this.delegate.read(destinations, offset, length);
            }

            @Override
            public int read(ByteBuffer destination, long position) throws IOException {
                return this.delegate.read(destination, position);
            }

            @Override
            public long position() throws IOException {
                return this.delegate.position();
            }

            @Override
            public FileChannel position(long newPosition) throws IOException {
                this.delegate.position(newPosition);
                return this;
            }

            @Override
            public long size() throws IOException {
                return this.delegate.size();
            }

            @Override
            public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
                return this.delegate.transferTo(position, count, target);
            }

            @Override
            public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
                return this.delegate.transferFrom(source, position, count);
            }

            @Override
            public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
                return this.delegate.map(mode, position, size);
            }

            @Override
            public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
                return this.delegate.map(mode, offset, size, arena);
            }

            @Override
            public FileLock lock(long position, long size, boolean shared) throws IOException {
                return this.delegate.lock(position, size, shared);
            }

            @Override
            public FileLock tryLock(long position, long size, boolean shared) throws IOException {
                return this.delegate.tryLock(position, size, shared);
            }

            @Override
            protected void implCloseChannel() throws IOException {
                this.delegate.close();
            }
        }
    }
}

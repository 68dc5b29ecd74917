# Packed arrays reach Python without a copy (buffer protocol, copy-on-write) and Python
# buffers return as packed arrays with one copy at most (src/packed.c).
extends TestSuite

var probe


func before_each() -> void:
	probe = ClassDB.instantiate("PyPackedProbe")


func test_shared_sequence_with_a_buffer() -> void:
	var a := PackedFloat32Array([0.5, 1.5, 2.5, 3.5])
	assert_eq(probe.describe(a), "PackedFloat32Array,4,f,True,16,True,1.5,3.5,[1.5, 2.5],True")


func test_python_sees_the_engine_memory_not_a_copy() -> void:
	var a := PackedFloat32Array()
	a.resize(1024)
	var kept: int = probe.keep(a)
	assert_eq(probe.address_of(a), kept, "two conversions of one array share its memory")
	var b := a  # GDScript shares too
	assert_eq(probe.address_of(b), kept)


func test_gdscript_writes_copy_on_write() -> void:
	var a := PackedFloat32Array([1.0, 2.0])
	probe.keep(a)
	a[0] = 5.0  # the engine copies before writing: Python's value does not change
	assert_eq(probe.kept_first(), 1.0)
	assert_eq(a[0], 5.0)


func test_shared_arrays_are_read_only_buffers() -> void:
	var a := PackedFloat32Array([1.0, 2.0])
	assert_eq(probe.refuse_writes_to_shared(a), "read-only,refused,BufferError,9.0,False")
	assert_eq(a, PackedFloat32Array([1.0, 2.0]), "Python's write went to its own copy")


func test_copy_is_writable_and_returns_without_touching_the_original() -> void:
	var a := PackedFloat32Array([1.0, 2.0, 3.0])
	assert_eq(probe.write_a_copy(a), PackedFloat32Array([42.0, 43.0, 3.0]))
	assert_eq(a, PackedFloat32Array([1.0, 2.0, 3.0]))


func test_engine_gets_a_copy_while_python_can_still_write() -> void:
	var got: PackedFloat32Array = probe.return_while_viewed()
	probe.write_through_kept_view()
	assert_eq(got, PackedFloat32Array([1.0, 2.0]))


func test_a_returned_array_python_keeps_is_shared_until_python_writes() -> void:
	var got: PackedFloat32Array = probe.return_kept()
	var inside: Array = probe.return_kept_in_array()
	assert_eq(probe.write_kept(), "True,-1.0,False")
	assert_eq(got, PackedFloat32Array([1.0, 2.0]))
	assert_eq(inside[0], PackedFloat32Array([1.0, 2.0]))
	assert_eq(typeof(inside[0]), TYPE_PACKED_FLOAT32_ARRAY)


func test_vector_and_color_arrays() -> void:
	assert_eq(
		probe.vectors(PackedVector2Array([Vector2(1, 2), Vector2(3, 4)])),
		"(2, 2),f,Vector2(3.0, 4.0),Vector2(1.0, 2.0)"
	)
	assert_eq(probe.colors(PackedColorArray([Color(0.5, 0.25, 1, 1)])), "(1, 4),Color(0.5, 0.25, 1.0, 1.0)")


func test_python_buffers_return_as_packed_arrays() -> void:
	assert_eq(probe.from_array_module(), PackedFloat32Array([0.25, 0.5, 0.75]))
	assert_eq(probe.from_memoryview(), PackedFloat32Array([1.0, 2.0]))
	assert_eq(probe.ints_from_list(), PackedInt32Array([1, 2, 3]))
	for kind in ["bytes", "bytearray", "memoryview", "packed", "array"]:
		assert_eq(probe.bytes_like(kind), PackedByteArray([1, 2, 3]), kind)


func test_byte_array_arguments_arrive_as_declared() -> void:
	var typed: PyPackedProbe = probe  # calls through `typed` are ptrcalls, through `probe` Variant calls
	var one := PackedByteArray([1])
	assert_eq(probe.bytes_arrive_as(one), "PackedByteArray")
	assert_eq(typed.bytes_arrive_as(one), "PackedByteArray")
	assert_eq(probe.declared_bytes_arrive_as(one), "bytes")
	assert_eq(typed.declared_bytes_arrive_as(one), "bytes")
	assert_eq(probe.untyped_bytes_arrive_as(one), "bytes")
	assert_eq(typed.untyped_bytes_arrive_as(one), "bytes")


func test_byte_array_arguments_share_the_engine_memory() -> void:
	var typed: PyPackedProbe = probe
	var a := PackedByteArray()
	a.resize(4096)
	var kept: int = probe.keep_bytes(a)
	assert_eq(probe.bytes_address(a), kept, "Variant call: the same memory")
	assert_eq(typed.bytes_address(a), kept, "ptrcall: the same memory")
	assert_eq(probe.describe_bytes(PackedByteArray([7, 8, 9, 10])), "4,7,10,[8, 9],b'\\x07\\x08\\t\\n',B,True,True")
	assert_eq(
		typed.describe_bytes(PackedByteArray([7, 8, 9, 10])), probe.describe_bytes(PackedByteArray([7, 8, 9, 10]))
	)


func test_wrong_items_raise() -> void:
	assert_eq(probe.wrong_items(), "TypeError")
	assert_eq(probe.python_type(), "PackedArray")


func test_body_receiver_reads_a_socket() -> void:
	var recv = ClassDB.instantiate("PyRecvProbe")
	assert_eq(
		recv.cases(),
		(
			"not started|empty b'' 0 False|until-close 10 b'0123456789' 0 -1|chunk-size b'abcd' 0|"
			+ "left b'efgh'|length b'hello' 1 0 b''|after b' world' stop 0|fin-behind-data False|"
			+ "closed b'xyz' -1 97 True|again b'' -1|reset b'' ECONNRESET|"
			+ "closed-descriptor b'' EBADF True|ValueError|ValueError|ValueError|ValueError"
		)
	)


func test_a_body_receiver_waits_for_bytes_only_when_the_caller_spins() -> void:
	var recv = ClassDB.instantiate("PyRecvProbe")
	assert_eq(recv.spinning_cases(), "spinning 1 b'' True|other-between 0 0|gap 0|stream True 1 True 1")


func test_a_body_receiver_knows_what_a_read_left_in_the_socket() -> void:
	var recv = ClassDB.instantiate("PyRecvProbe")
	assert_eq(
		recv.left_cases(),
		(
			"first b'01234567' -1 1|second b'89abcdef' 4 False|fin False|last b'ghij' -1 True|"
			+ "stop -1 -1 0|one-left b'4567' 1|byte-and-fin False|end b'8' -1 True"
		)
	)


func _filled(byte: int, size: int) -> PackedByteArray:
	var a := PackedByteArray()
	a.resize(size)
	a.fill(byte)
	return a


func test_a_dropped_chunk_is_received_into_again() -> void:
	var recv = ClassDB.instantiate("PyRecvProbe")
	var total := 0
	for i in 3:
		total += recv.chunk(65 + i, 4096).size()  # the chunk is dropped at once
	assert_eq(total, 3 * 4096)
	assert_true(recv.same_memory_as_before(), "the next chunk lands in the memory of the dropped one")
	total += recv.chunk(68, 4096, true).size()  # Python holds the buffer object: only its array comes back
	assert_true(recv.same_memory_as_before())
	total += recv.chunk(69, 4096).size()
	assert_true(recv.same_memory_as_before(), "a new buffer object, the same memory")
	assert_eq(total, 5 * 4096)
	recv.close()


func test_a_kept_chunk_never_changes() -> void:
	var recv = ClassDB.instantiate("PyRecvProbe")
	var first: PackedByteArray = recv.chunk(65, 4096)
	var second: PackedByteArray = recv.chunk(66, 4096)
	assert_eq(first, _filled(65, 4096), "copy-on-write: the kept chunk is untouched")
	assert_eq(second, _filled(66, 4096))
	assert_false(recv.same_memory_as_before(), "the kept chunk's memory was not written into")
	var third: PackedByteArray = recv.chunk(67, 1000)  # smaller: the same memory, cut
	assert_eq(third, _filled(67, 1000))
	assert_eq(second, _filled(66, 4096))
	recv.close()


func test_a_small_chunk_after_a_large_one_is_a_copy_and_the_large_memory_stays() -> void:
	var recv = ClassDB.instantiate("PyRecvProbe")
	var total: int = recv.chunk(65, 4096).size()
	total += recv.chunk(66, 100).size()  # 100 of 4096 bytes: copied out, the 4 KiB array kept back
	assert_false(recv.same_memory_as_before(), "a fresh array of 100 bytes")
	var again: PackedByteArray = recv.chunk(67, 4096)
	assert_eq(again, _filled(67, 4096))
	assert_true(recv.same_memory_as_first(), "the kept-back 4 KiB array is received into again")
	assert_eq(total, 4196)
	recv.close()

# Calls from GDScript Threads and the WorkerThreadPool run concurrently and correctly.
extends TestSuite

const THREADS := 8
const CALLS := 10000


func _hammer(counter: PyCounter, offset: int) -> int:
	var sum := 0
	for i in CALLS:
		sum += counter.echo(offset + i)
	return sum


func _expected(offset: int) -> int:
	return CALLS * offset + CALLS * (CALLS - 1) / 2


func test_eight_threads_times_ten_thousand_calls() -> void:
	var threads: Array[Thread] = []
	var counters: Array[PyCounter] = []
	for t in THREADS:
		var thread := Thread.new()
		var counter := PyCounter.new()
		counters.append(counter)
		thread.start(_hammer.bind(counter, t * 1000000))
		threads.append(thread)
	for t in THREADS:
		assert_eq(threads[t].wait_to_finish(), _expected(t * 1000000), "thread %d" % t)


func test_shared_object_from_worker_thread_pool() -> void:
	var counter := PyCounter.new()
	var task := WorkerThreadPool.add_group_task(func(i): counter.add(1), 2000, -1, true)
	WorkerThreadPool.wait_for_group_task_completion(task)
	assert_eq(counter.get_total(), 2000)

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


# After a call into Python the main thread keeps the GIL for a moment (decision 0013): a wait in
# GDScript for a thread that needs Python right after such a call must still finish.
func test_wait_for_a_thread_that_needs_python_right_after_a_call() -> void:
	var counter := PyCounter.new()
	for round in 50:
		counter.add(1)
		var thread := Thread.new()
		thread.start(func() -> int: return counter.echo(round))
		assert_eq(thread.wait_to_finish(), round, "round %d" % round)
	assert_eq(counter.get_total(), 50)


func test_wait_for_a_worker_task_that_needs_python_right_after_a_call() -> void:
	var counter := PyCounter.new()
	for round in 50:
		counter.add(1)
		var task := WorkerThreadPool.add_task(func(): counter.add(1))
		WorkerThreadPool.wait_for_task_completion(task)
	assert_eq(counter.get_total(), 100)


func test_python_thread_posts_a_semaphore_gdscript_waits_on() -> void:
	var poster := PyBackgroundPoster.new()
	var semaphore := Semaphore.new()
	poster.start_posting(semaphore, 50)
	for i in 50:
		poster.touch()
		semaphore.wait()
	assert_eq(poster.join(), 50)


func test_mutex_held_by_a_thread_that_needs_python() -> void:
	var counter := PyCounter.new()
	var mutex := Mutex.new()
	var started := Semaphore.new()
	var thread := Thread.new()
	thread.start(
		func() -> void:
			mutex.lock()
			started.post()
			for i in 100:
				counter.add(1)
			mutex.unlock()
	)
	started.wait()
	counter.add(1)
	mutex.lock()  # the thread needs Python to get to unlock()
	mutex.unlock()
	thread.wait_to_finish()
	assert_eq(counter.get_total(), 101)


# The main thread takes the parked GIL back and parks it again on every call while the watcher
# releases it for the other threads: every call of every thread still runs exactly once.
func test_main_thread_calls_while_threads_call_too() -> void:
	var threads: Array[Thread] = []
	for t in 2:
		var thread := Thread.new()
		thread.start(_hammer.bind(PyCounter.new(), (t + 1) * 1000000))
		threads.append(thread)
	var counter := PyCounter.new()
	var sum := 0
	for i in 5 * CALLS:
		sum += counter.echo(i)
	assert_eq(sum, 5 * CALLS * (5 * CALLS - 1) / 2, "main thread")
	for t in 2:
		assert_eq(threads[t].wait_to_finish(), _expected((t + 1) * 1000000), "thread %d" % t)
